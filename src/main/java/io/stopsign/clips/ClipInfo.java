package io.stopsign.clips;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts of one clip the player needs to draw stored boxes over it: each joined segment's video
 * time and capture time ({@code anchors}, {@code [t, utc]}); within a segment video time {@code t}
 * shows the frame captured at {@code utc + (t - anchor t)}, and the capture clock may jump between
 * segments (a stalled decode) while the video runs on. Boxes are in the camera's own pixels, the
 * video may be scaled down from them.
 */
public record ClipInfo(
    List<double[]> anchors,
    double seconds,
    int width,
    int height,
    int sourceWidth,
    int sourceHeight,
    long bytes) {

  public ClipInfo {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("a clip has at least one segment");
    }
    anchors = List.copyOf(anchors);
  }

  /** Capture time of the first frame. */
  public double startUtc() {
    return anchors.get(0)[1];
  }

  /** Capture time at the end of the last frame. */
  public double endUtc() {
    double[] last = anchors.get(anchors.size() - 1);
    return last[1] + (seconds - last[0]);
  }

  public JsonObject toJson() {
    JsonArray segments = new JsonArray();
    anchors.forEach(a -> segments.add(new JsonArray().add(a[0]).add(a[1])));
    return new JsonObject()
        .put("start_utc", startUtc())
        .put("end_utc", endUtc())
        .put("duration", seconds)
        .put("segments", segments)
        .put("width", width)
        .put("height", height)
        .put("source_width", sourceWidth)
        .put("source_height", sourceHeight)
        .put("bytes", bytes);
  }

  public static ClipInfo fromJson(JsonObject json) {
    List<double[]> anchors = new ArrayList<>();
    for (Object o : json.getJsonArray("segments")) {
      JsonArray a = (JsonArray) o;
      anchors.add(new double[] {a.getDouble(0), a.getDouble(1)});
    }
    return new ClipInfo(
        anchors,
        json.getDouble("duration"),
        json.getInteger("width"),
        json.getInteger("height"),
        json.getInteger("source_width"),
        json.getInteger("source_height"),
        json.getLong("bytes"));
  }
}
