package io.stopsign.judge;

import io.stopsign.bus.JsonMessage;
import io.stopsign.camera.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One completed pass through the stop zone: the pass JSON of the WebSocket, the persistence request
 * and the API ({@code {"type":"pass",...}}). Its id is derived from (camera, run_id, track_id,
 * entry time), so a replayed write changes nothing.
 *
 * @param tsUtc zone exit, epoch seconds
 * @param trajectory the raw samples the verdict was computed from, lead-in included
 * @param snapshot JPEG path relative to data_dir, or null when none could be taken
 */
public record PassEvent(
    UUID id,
    String camera,
    String runId,
    long trackId,
    double tsUtc,
    double entryTsUtc,
    Verdict verdict,
    double timeInZone,
    double stopDuration,
    double minSpeed,
    double entrySpeed,
    String speedUnit,
    String reason,
    List<Sample> trajectory,
    String snapshot)
    implements JsonMessage {

  public PassEvent {
    trajectory = List.copyOf(trajectory);
  }

  /**
   * The pass of a score, its snapshot planned at {@code snapshotPath}, or at {@code
   * snapshots/<camera>/<id>.jpg} when null.
   */
  public static PassEvent of(
      String camera,
      String runId,
      long trackId,
      PassScore score,
      List<Sample> trajectory,
      String snapshotPath) {
    UUID id = passId(camera, runId, trackId, score.entryTs());
    return new PassEvent(
        id,
        camera,
        runId,
        trackId,
        score.exitTs(),
        score.entryTs(),
        score.verdict(),
        PassScore.round3(score.timeInZone()),
        PassScore.round3(score.stopDuration()),
        PassScore.round3(score.minSpeed()),
        PassScore.round3(score.entrySpeed()),
        score.speedUnit(),
        score.reason(),
        trajectory,
        snapshotPath != null ? snapshotPath : "snapshots/" + camera + "/" + id + ".jpg");
  }

  public static UUID passId(String camera, String runId, long trackId, double entryTsUtc) {
    String key = camera + "/" + runId + "/" + trackId + "/" + Math.round(entryTsUtc * 1000);
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The same pass with no snapshot (the frame could not be written). */
  public PassEvent withoutSnapshot() {
    return new PassEvent(
        id,
        camera,
        runId,
        trackId,
        tsUtc,
        entryTsUtc,
        verdict,
        timeInZone,
        stopDuration,
        minSpeed,
        entrySpeed,
        speedUnit,
        reason,
        trajectory,
        null);
  }

  /** Where the API serves the snapshot, or null. */
  public String snapshotUrl() {
    return snapshot == null ? null : "/api/passes/" + id + "/snapshot";
  }

  @Override
  public JsonObject toJson() {
    JsonArray samples = new JsonArray();
    trajectory.forEach(s -> samples.add(s.toJson()));
    return new JsonObject()
        .put("type", "pass")
        .put("id", id.toString())
        .put("camera", camera)
        .put("run_id", runId)
        .put("track_id", trackId)
        .put("ts_utc", tsUtc)
        .put("entry_ts_utc", entryTsUtc)
        .put("verdict", verdict.wire())
        .put("time_in_zone", PassScore.round3(timeInZone))
        .put("stop_duration", PassScore.round3(stopDuration))
        .put("min_speed", PassScore.round3(minSpeed))
        .put("entry_speed", PassScore.round3(entrySpeed))
        .put("speed_unit", speedUnit)
        .put("reason", reason)
        .put("trajectory", samples)
        .put("snapshot", snapshot)
        .put("snapshot_url", snapshotUrl());
  }

  /**
   * Reads {@link #toJson()}'s shape back.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static PassEvent fromJson(JsonObject json) {
    try {
      List<Sample> samples = new ArrayList<>();
      JsonArray trajectory = json.getJsonArray("trajectory");
      if (trajectory == null) {
        throw new IllegalArgumentException("pass: trajectory is missing");
      }
      trajectory.forEach(s -> samples.add(Sample.fromJson(s)));
      return new PassEvent(
          UUID.fromString(required(json, "id")),
          required(json, "camera"),
          required(json, "run_id"),
          number(json, "track_id").longValue(),
          number(json, "ts_utc").doubleValue(),
          number(json, "entry_ts_utc").doubleValue(),
          Verdict.fromWire(required(json, "verdict")),
          number(json, "time_in_zone").doubleValue(),
          number(json, "stop_duration").doubleValue(),
          number(json, "min_speed").doubleValue(),
          number(json, "entry_speed").doubleValue(),
          required(json, "speed_unit"),
          json.getString("reason", ""),
          samples,
          json.getString("snapshot"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("pass: a field has the wrong type: " + e.getMessage());
    }
  }

  private static String required(JsonObject json, String key) {
    String v = json.getString(key);
    if (v == null) {
      throw new IllegalArgumentException("pass: " + key + " is missing");
    }
    return v;
  }

  private static Number number(JsonObject json, String key) {
    Number v = json.getNumber(key);
    if (v == null) {
      throw new IllegalArgumentException("pass: " + key + " is missing");
    }
    return v;
  }
}
