package io.stopsign.bench;

import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.inference.Detection;
import io.stopsign.inference.Detections;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.ModelConfig;
import io.stopsign.inference.TiledDetector;
import io.stopsign.media.Frame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The detections of the frames {@code bench --accuracy} feeds the tracker, from the detector or
 * from a cache directory ({@code --detections DIR}): the detector is deterministic, so a tracker
 * change is scored again in seconds instead of re-running every view of every frame.
 *
 * @param fps the clip's frame rate
 * @param frames detections by decoded frame index
 */
record ClipDetections(double fps, Map<Integer, Detections> frames) {

  /**
   * The detections of every frame {@code run} marks: those a cache in {@code cacheDir} of the same
   * model, views and clip holds are read from it, the others detected (and added to it when {@code
   * cacheDir} is not null).
   */
  static ClipDetections of(
      Path fixtures,
      AccuracyLabels.Clip clip,
      AccuracyBench.Setup setup,
      List<float[]> autoTiles,
      boolean[] run,
      Path cacheDir)
      throws Exception {
    Path cached = cacheDir == null ? null : cacheDir.resolve(key(clip, setup, autoTiles));
    Map<Integer, Detections> known = new HashMap<>();
    double fps = Double.NaN;
    if (cached != null && Files.isRegularFile(cached)) {
      ClipDetections c = read(cached);
      known.putAll(c.frames());
      fps = c.fps();
    }
    boolean[] missing = new boolean[run.length];
    boolean any = false;
    for (int i = 0; i < run.length; i++) {
      missing[i] = run[i] && !known.containsKey(i);
      any |= missing[i];
    }
    if (!any) {
      return new ClipDetections(fps, known);
    }
    ClipDetections c = detect(fixtures, clip, setup, autoTiles, missing);
    if (cached == null) {
      return c;
    }
    // other label sets of the same clip run other frames: the file keeps them all
    known.putAll(c.frames());
    ClipDetections all = new ClipDetections(c.fps(), known);
    Files.createDirectories(cacheDir);
    Files.writeString(cached, all.toJson().encode());
    return all;
  }

  /** The file name of a clip's detections: model, views, and a hash of all that shapes them. */
  static String key(AccuracyLabels.Clip clip, AccuracyBench.Setup setup, List<float[]> autoTiles) {
    List<float[]> views =
        switch (setup.tiles()) {
          case NONE -> List.of();
          case AUTO -> autoTiles;
          case CLIP -> clip.regions();
        };
    ModelConfig m = setup.model();
    // not the record's toString: Map.of's order changes from one JVM to the next
    StringBuilder shape =
        new StringBuilder()
            .append(List.of(m.family(), m.engine(), m.confidence(), m.nmsIou(), m.classes()))
            .append(new TreeMap<>(m.classConfidence()))
            .append(m.crossClassIou())
            .append(clip.file());
    views.forEach(v -> shape.append(Arrays.toString(v)));
    String model = Path.of(m.path()).getFileName().toString().replaceAll("\\..*", "");
    return String.format(
        "%s-%s-%s-%08x.json",
        model, setup.tiles().name().toLowerCase(), clip.name(), shape.toString().hashCode());
  }

  private static ClipDetections detect(
      Path fixtures,
      AccuracyLabels.Clip clip,
      AccuracyBench.Setup setup,
      List<float[]> autoTiles,
      boolean[] run)
      throws Exception {
    Detector detector = Detectors.open(setup.model());
    double nms = setup.model().nmsIou();
    if (setup.tiles() == AccuracyBench.Tiles.CLIP && !clip.regions().isEmpty()) {
      detector = new TiledDetector(detector, clip.regions(), 1280, nms);
    } else if (setup.tiles() == AccuracyBench.Tiles.AUTO && !autoTiles.isEmpty()) {
      detector = new TiledDetector(detector, autoTiles, true, 1280, nms);
    }
    Map<Integer, Detections> found = new HashMap<>();
    try (Detector d = detector;
        FrameSource source =
            FrameSource.open(
                SourceOptions.of(
                        SourceSpec.file(fixtures.resolve(clip.file())), "accuracy", d.input())
                    .withUnpaced(true),
                null)) {
      for (int i = 0; i < run.length; i++) {
        Frame frame = source.next();
        if (frame == null) {
          throw new IllegalStateException(clip.file() + " ended before frame " + i);
        }
        try {
          if (run[i]) {
            found.put(i, d.detect(frame));
          }
        } finally {
          frame.release();
        }
      }
      return new ClipDetections(source.fps(), found);
    }
  }

  private JsonObject toJson() {
    JsonArray list = new JsonArray();
    frames.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              Detections f = e.getValue();
              JsonArray boxes = new JsonArray();
              for (Detection d : f.items()) {
                // doubles of the floats: they read back to the very same floats
                boxes.add(
                    new JsonArray()
                        .add(d.classId())
                        .add(d.label())
                        .add((double) d.score())
                        .add((double) d.x1())
                        .add((double) d.y1())
                        .add((double) d.x2())
                        .add((double) d.y2()));
              }
              list.add(
                  new JsonObject()
                      .put("frame", e.getKey())
                      .put("ts", f.tsUtc())
                      .put("raw", new JsonArray().add(f.rawWidth()).add(f.rawHeight()))
                      .put("scaled", new JsonArray().add(f.scaledWidth()).add(f.scaledHeight()))
                      .put("infer_ns", f.inferNanos())
                      .put("boxes", boxes));
            });
    return new JsonObject().put("fps", fps).put("frames", list);
  }

  private static ClipDetections read(Path file) throws Exception {
    JsonObject json = new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
    Map<Integer, Detections> frames = new HashMap<>();
    for (Object o : json.getJsonArray("frames")) {
      JsonObject f = (JsonObject) o;
      List<Detection> items = new ArrayList<>();
      for (Object b : f.getJsonArray("boxes")) {
        JsonArray a = (JsonArray) b;
        items.add(
            new Detection(
                a.getInteger(0),
                a.getString(1),
                a.getDouble(2).floatValue(),
                a.getDouble(3).floatValue(),
                a.getDouble(4).floatValue(),
                a.getDouble(5).floatValue(),
                a.getDouble(6).floatValue()));
      }
      int index = f.getInteger("frame");
      JsonArray raw = f.getJsonArray("raw");
      JsonArray scaled = f.getJsonArray("scaled");
      frames.put(
          index,
          new Detections(
              "accuracy",
              "cache",
              index,
              f.getDouble("ts"),
              raw.getInteger(0),
              raw.getInteger(1),
              scaled.getInteger(0),
              scaled.getInteger(1),
              items,
              f.getLong("infer_ns")));
    }
    return new ClipDetections(json.getDouble("fps"), frames);
  }
}
