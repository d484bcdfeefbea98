package io.stopsign.judge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One track as seen in one frame: box in raw camera pixels, speed in the frame's speed unit (px/s,
 * or m/s with a ground calibration; NaN while not yet known, {@code null} on the wire), direction
 * in radians (image coordinates, 0 = +x).
 */
public record TrackState(
    long id,
    String cls,
    float score,
    float x1,
    float y1,
    float x2,
    float y2,
    double speed,
    double direction,
    boolean parked,
    boolean inZone) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put(
            "bbox", new JsonArray().add(round1(x1)).add(round1(y1)).add(round1(x2)).add(round1(y2)))
        .put("cls", cls)
        .put("score", Math.round(score * 1000) / 1000.0)
        .put("speed", Double.isFinite(speed) ? Math.round(speed * 100) / 100.0 : null)
        .put("direction", Math.round(direction * 1000) / 1000.0)
        .put("is_parked", parked)
        .put("in_zone", inZone);
  }

  public static TrackState fromJson(JsonObject json) {
    JsonArray box = json.getJsonArray("bbox");
    return new TrackState(
        json.getLong("id"),
        json.getString("cls"),
        json.getFloat("score", 0f),
        box.getFloat(0),
        box.getFloat(1),
        box.getFloat(2),
        box.getFloat(3),
        json.getValue("speed") instanceof Number n ? n.doubleValue() : Double.NaN,
        json.getDouble("direction", 0.0),
        json.getBoolean("is_parked", false),
        json.getBoolean("in_zone", false));
  }

  private static double round1(float v) {
    return Math.round(v * 10) / 10.0;
  }
}
