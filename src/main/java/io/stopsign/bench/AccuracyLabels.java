package io.stopsign.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-checked vehicle boxes on frames of the fixture clips ({@code accuracy/labels.json} in the
 * test resources): per clip, the frames by decode index, each box in camera pixels with the
 * vehicle's identity across the clip, and the regions worth a closer look (tiles).
 */
record AccuracyLabels(List<Clip> clips) {

  /** One labelled vehicle; {@code id} is the same vehicle on every frame of its clip. */
  record Box(int id, String cls, float x1, float y1, float x2, float y2) {
    float height() {
      return y2 - y1;
    }
  }

  record LabelledFrame(int index, List<Box> boxes) {}

  /**
   * @param file relative to the fixtures folder
   * @param regions tiles over the far approach, {@code [x1, y1, x2, y2]} camera pixels
   */
  record Clip(String name, String file, List<float[]> regions, List<LabelledFrame> frames) {}

  static AccuracyLabels read(Path path) throws IOException {
    JsonObject root = new JsonObject(Files.readString(path));
    List<Clip> clips = new ArrayList<>();
    for (Object c : root.getJsonArray("clips")) {
      JsonObject clip = (JsonObject) c;
      List<float[]> regions = new ArrayList<>();
      for (Object r : clip.getJsonArray("regions", new JsonArray())) {
        regions.add(box((JsonArray) r));
      }
      List<LabelledFrame> frames = new ArrayList<>();
      for (Object f : clip.getJsonArray("frames")) {
        JsonObject frame = (JsonObject) f;
        List<Box> boxes = new ArrayList<>();
        for (Object b : frame.getJsonArray("boxes")) {
          JsonObject box = (JsonObject) b;
          float[] xy = box(box.getJsonArray("box"));
          boxes.add(
              new Box(box.getInteger("id"), box.getString("cls"), xy[0], xy[1], xy[2], xy[3]));
        }
        frames.add(new LabelledFrame(frame.getInteger("frame"), boxes));
      }
      frames.sort((a, b) -> Integer.compare(a.index(), b.index()));
      clips.add(new Clip(clip.getString("name"), clip.getString("file"), regions, frames));
    }
    return new AccuracyLabels(clips);
  }

  private static float[] box(JsonArray a) {
    if (a.size() != 4) {
      throw new IllegalArgumentException("a box is [x1, y1, x2, y2], got " + a);
    }
    return new float[] {
      a.getNumber(0).floatValue(),
      a.getNumber(1).floatValue(),
      a.getNumber(2).floatValue(),
      a.getNumber(3).floatValue()
    };
  }
}
