package io.stopsign.clips;

import io.vertx.core.json.JsonObject;

/**
 * The facts of one clip the player needs to draw stored boxes over it: video time {@code t} shows
 * the frame captured at {@code startUtc + t}; boxes are in the camera's own pixels, the video may
 * be scaled down from them.
 */
public record ClipInfo(
    double startUtc,
    double seconds,
    int width,
    int height,
    int sourceWidth,
    int sourceHeight,
    long bytes) {

  public double endUtc() {
    return startUtc + seconds;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("start_utc", startUtc)
        .put("duration", seconds)
        .put("width", width)
        .put("height", height)
        .put("source_width", sourceWidth)
        .put("source_height", sourceHeight)
        .put("bytes", bytes);
  }

  public static ClipInfo fromJson(JsonObject json) {
    return new ClipInfo(
        json.getDouble("start_utc"),
        json.getDouble("duration"),
        json.getInteger("width"),
        json.getInteger("height"),
        json.getInteger("source_width"),
        json.getInteger("source_height"),
        json.getLong("bytes"));
  }
}
