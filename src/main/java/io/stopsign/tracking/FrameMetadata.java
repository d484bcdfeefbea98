package io.stopsign.tracking;

import io.stopsign.judge.TrackState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-frame tracks of one camera: the WebSocket message of the seed schema, and the rows of the
 * {@code detections} table. Crosses the cluster as JSON.
 *
 * @param stopZone polygon in raw pixels as [[x,y],...], empty when no zone is configured
 * @param speedUnit {@code px/s}, or {@code m/s} with a ground calibration
 */
public record FrameMetadata(
    String camera,
    String runId,
    long frame,
    double tsUtc,
    List<TrackState> tracks,
    List<double[]> stopZone,
    int rawWidth,
    int rawHeight,
    int scaledWidth,
    int scaledHeight,
    String speedUnit) {

  public FrameMetadata {
    tracks = List.copyOf(tracks);
    stopZone = List.copyOf(stopZone);
  }

  /**
   * The text of {@link #toJson()}, written without building the JSON tree: what the WebSocket hub
   * sends for every frame.
   */
  public String encode() {
    return MetadataJson.encode(this);
  }

  /** The seed-schema message, extended only by adding fields. */
  public JsonObject toJson() {
    JsonArray trackArray = new JsonArray();
    tracks.forEach(t -> trackArray.add(t.toJson()));
    JsonArray zone = new JsonArray();
    stopZone.forEach(p -> zone.add(new JsonArray().add(p[0]).add(p[1])));
    return new JsonObject()
        .put("ts_utc", Math.round(tsUtc * 1000) / 1000.0)
        .put("frame", frame)
        .put("camera", camera)
        .put("run_id", runId)
        .put("tracks", trackArray)
        .put("zones", new JsonObject().put("stop", zone))
        .put("raw_dimensions", new JsonObject().put("w", rawWidth).put("h", rawHeight))
        .put("scaled_dimensions", new JsonObject().put("w", scaledWidth).put("h", scaledHeight))
        .put("speed_unit", speedUnit);
  }

  public static FrameMetadata fromJson(JsonObject json) {
    List<TrackState> tracks = new ArrayList<>();
    json.getJsonArray("tracks").forEach(t -> tracks.add(TrackState.fromJson((JsonObject) t)));
    List<double[]> zone = new ArrayList<>();
    json.getJsonObject("zones")
        .getJsonArray("stop")
        .forEach(
            p ->
                zone.add(
                    new double[] {((JsonArray) p).getDouble(0), ((JsonArray) p).getDouble(1)}));
    JsonObject raw = json.getJsonObject("raw_dimensions");
    JsonObject scaled = json.getJsonObject("scaled_dimensions");
    return new FrameMetadata(
        json.getString("camera"),
        json.getString("run_id"),
        json.getLong("frame"),
        json.getDouble("ts_utc"),
        tracks,
        zone,
        raw.getInteger("w"),
        raw.getInteger("h"),
        scaled.getInteger("w"),
        scaled.getInteger("h"),
        json.getString("speed_unit"));
  }
}
