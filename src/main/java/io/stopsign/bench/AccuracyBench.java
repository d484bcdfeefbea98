package io.stopsign.bench;

import io.stopsign.camera.DetectRegions;
import io.stopsign.config.ConfigReader;
import io.stopsign.inference.Detection;
import io.stopsign.inference.Detections;
import io.stopsign.inference.ModelConfig;
import io.stopsign.tracking.ByteTracker;
import io.stopsign.tracking.TrackerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --accuracy}: each model and config over the hand-labelled frames of the fixture
 * clips, through the product's decode, detector and ByteTracker: precision and recall by size band,
 * identity switches and fragmentations per 100 track-seconds, and detector ms per frame.
 */
public final class AccuracyBench {

  /** A model under test: fixture path (empty: the family's model fetched from npm) and family. */
  record Model(String path, String family) {
    String name() {
      return path.isEmpty() ? family + " (npm)" : Path.of(path).getFileName().toString();
    }
  }

  /** Where the detector looks closer besides the whole picture. */
  enum Tiles {
    /** none: the whole picture once. */
    NONE,
    /** the product's default, {@code detect_regions: auto} (or {@code --regions}). */
    AUTO,
    /** the clip's own hand-picked regions over its far approach. */
    CLIP
  }

  /** A detector and tracker configuration under test. */
  record Setup(String name, ModelConfig model, TrackerConfig tracker, Tiles tiles) {}

  /** The fixture models, by the name {@code --models} takes. */
  static final Map<String, Model> FIXTURE_MODELS =
      Map.of(
          "yolov8n", new Model("models/yolov8n-int8.onnx", "yolov8"),
          "yolox", new Model("models/yolox-nano.onnx", "yolox"),
          "fastestdet", new Model("models/fastestdet.onnx", "fastestdet"),
          "centernet", new Model("models/centernet/centernet.json", "centernet"),
          "nanodet", new Model("", "nanodet"));

  static final List<String> ALL_MODELS =
      List.of("centernet", "yolov8n", "yolox", "fastestdet", "nanodet");

  /**
   * {@code --labels FILE --models a,b --configs default,tiles --frames N --dump FILE --detections
   * DIR}; returns the exit status.
   */
  public static int run(String[] args, Path fixtures, PrintStream out, PrintStream err) {
    Path labels = Path.of("src/test/resources/accuracy/labels.json");
    List<String> names = ALL_MODELS;
    List<String> configs = List.of("default", "whole", "tiles");
    int frames = Integer.MAX_VALUE;
    Path dump = null;
    Path cache = null;
    Map<String, Object> tracker = new HashMap<>();
    List<float[]> autoTiles = DetectRegions.AUTO.boxes();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        err.println("bench --accuracy: option " + args[i] + " needs a value");
        return 2;
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--labels" -> labels = Path.of(value);
        case "--models" -> names = List.of(value.split(","));
        case "--configs" -> configs = List.of(value.split(","));
        case "--dump" -> dump = Path.of(value);
        case "--detections" -> cache = Path.of(value);
        case "--regions" -> {
          autoTiles = fractions(value);
          if (autoTiles == null) {
            err.println(
                "bench --accuracy: --regions takes x1,y1,x2,y2/... as fractions of the picture, got "
                    + value);
            return 2;
          }
        }
        case "--tracker" -> {
          for (String kv : value.split(",")) {
            String[] parts = kv.split("=", 2);
            if (parts.length != 2) {
              err.println("bench --accuracy: --tracker takes key=value,..., got " + kv);
              return 2;
            }
            tracker.put(parts[0].strip(), parts[1].strip());
          }
        }
        case "--frames" -> {
          try {
            frames = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            err.println("bench --accuracy: --frames needs a number, got " + value);
            return 2;
          }
        }
        default -> {
          err.println("bench --accuracy: unknown option " + args[i]);
          return 2;
        }
      }
    }
    List<Model> models = new ArrayList<>();
    for (String name : names) {
      Model m = FIXTURE_MODELS.get(name);
      if (m == null) {
        err.println("bench --accuracy: unknown model " + name + " (one of " + ALL_MODELS + ")");
        return 2;
      }
      models.add(m);
    }
    for (String c : configs) {
      if (!CONFIGS.contains(c)) {
        err.println("bench --accuracy: unknown config " + c + " (one of " + CONFIGS + ")");
        return 2;
      }
    }
    if (!Files.isRegularFile(labels)) {
      err.println("bench --accuracy: labels not found: " + labels + " (pass --labels FILE)");
      return 2;
    }
    try {
      return measure(
          fixtures, labels, models, configs, frames, dump, cache, tracker, autoTiles, out);
    } catch (Exception e) {
      err.println("bench --accuracy: " + e.getMessage());
      return 1;
    }
  }

  /**
   * default: config defaults (auto tiles); whole: no tiles; tiles: the clip's own regions instead;
   * yolo-thresholds: default with the tracker's YOLO-scale score thresholds whatever the family
   * (how it was before {@code auto}).
   */
  static final List<String> CONFIGS = List.of("default", "whole", "tiles", "yolo-thresholds");

  /** {@code x1,y1,x2,y2/...} fractions of the picture, or null when malformed. */
  static List<float[]> fractions(String value) {
    List<float[]> boxes = new ArrayList<>();
    for (String item : value.split("/")) {
      String[] parts = item.split(",");
      if (parts.length != 4) {
        return null;
      }
      float[] b = new float[4];
      try {
        for (int k = 0; k < 4; k++) {
          b[k] = Float.parseFloat(parts[k].strip());
        }
      } catch (NumberFormatException e) {
        return null;
      }
      if (!(b[0] >= 0 && b[1] >= 0 && b[2] <= 1 && b[3] <= 1 && b[0] < b[2] && b[1] < b[3])) {
        return null;
      }
      boxes.add(b);
    }
    return boxes;
  }

  static int measure(
      Path fixtures,
      Path labelsFile,
      List<Model> models,
      List<String> configs,
      int maxFrames,
      Path dump,
      Path cache,
      Map<String, Object> trackerKeys,
      List<float[]> autoTiles,
      PrintStream out)
      throws Exception {
    AccuracyLabels labels = AccuracyLabels.read(labelsFile);
    JsonArray dumped = new JsonArray();
    out.printf(
        "bench --accuracy: %s, IoU %.1f, tracking scored on labels >= %.0f px tall, %d cores%n",
        labelsFile,
        AccuracyScore.IOU,
        AccuracyScore.TRACKED_MIN_HEIGHT,
        Runtime.getRuntime().availableProcessors());
    out.printf(
        "%-22s %-15s %11s %11s %11s %11s %9s %9s %8s%n",
        "model",
        "config",
        "<40 P/R",
        "40-100 P/R",
        ">100 P/R",
        ">=24 P/R",
        "IDsw/100s",
        "frag/100s",
        "ms/frame");
    for (Model m : models) {
      for (String config : configs) {
        Setup setup = setup(fixtures, m, config, trackerKeys);
        AccuracyScore score = new AccuracyScore();
        long[] timing = new long[2];
        for (AccuracyLabels.Clip clip : labels.clips()) {
          runClip(
              fixtures,
              clip,
              setup,
              autoTiles,
              maxFrames,
              score,
              timing,
              dump == null ? null : dumped,
              cache);
        }
        out.printf(
            "%-22s %-15s %11s %11s %11s %11s %9.2f %9.2f %8.1f%n",
            m.name(),
            config,
            pr(score, AccuracyScore.Band.SMALL),
            pr(score, AccuracyScore.Band.MEDIUM),
            pr(score, AccuracyScore.Band.LARGE),
            pr(score, AccuracyScore.Band.AT_LEAST_24),
            score.switchesPer100s(),
            score.fragmentationsPer100s(),
            timing[1] == 0 ? Double.NaN : timing[0] / 1e6 / timing[1]);
        out.printf(
            "%-22s %-15s labels <40 %d, 40-100 %d, >100 %d; tracks cover %.2f of labels >= 24 px;"
                + " %d switches, %d fragmentations in %.0f track-seconds%n",
            "",
            "",
            score.labels(AccuracyScore.Band.SMALL),
            score.labels(AccuracyScore.Band.MEDIUM),
            score.labels(AccuracyScore.Band.LARGE),
            score.trackCoverage(),
            score.switches(),
            score.fragmentations(),
            score.trackSeconds());
        if (!score.switched().isEmpty()) {
          out.printf("%-38s switches: %s%n", "", String.join("; ", score.switched()));
        }
      }
    }
    if (dump != null) {
      Files.writeString(dump, dumped.encodePrettily());
    }
    return 0;
  }

  private static String pr(AccuracyScore s, AccuracyScore.Band b) {
    return String.format("%.2f/%.2f", s.precision(b), s.recall(b));
  }

  /** {@code trackerKeys}: {@code tracker.*} keys that override the config's (as in the file). */
  static Setup setup(Path fixtures, Model m, String config, Map<String, Object> trackerKeys) {
    Map<String, Object> model = new HashMap<>();
    model.put("path", m.path().isEmpty() ? "" : fixtures.resolve(m.path()).toString());
    model.put("family", m.family());
    ModelConfig mc = ModelConfig.from(ConfigReader.of("model", model));
    TrackerConfig tracker = TrackerConfig.from(ConfigReader.of("tracker", trackerKeys), m.family());
    return switch (config) {
      case "default" -> new Setup(config, mc, tracker, Tiles.AUTO);
      case "whole" -> new Setup(config, mc, tracker, Tiles.NONE);
      case "tiles" -> new Setup(config, mc, tracker, Tiles.CLIP);
      case "yolo-thresholds" ->
          new Setup(
              config,
              mc,
              TrackerConfig.from(ConfigReader.of("tracker", trackerKeys), "yolov8"),
              Tiles.AUTO);
      default -> throw new IllegalArgumentException("unknown accuracy config " + config);
    };
  }

  private static void runClip(
      Path fixtures,
      AccuracyLabels.Clip clip,
      Setup setup,
      List<float[]> autoTiles,
      int maxFrames,
      AccuracyScore score,
      long[] timing,
      JsonArray dumped,
      Path cache)
      throws Exception {
    List<AccuracyLabels.LabelledFrame> frames =
        clip.frames().subList(0, Math.min(maxFrames, clip.frames().size()));
    if (frames.isEmpty()) {
      return;
    }
    Map<Integer, AccuracyLabels.LabelledFrame> byIndex = new HashMap<>();
    frames.forEach(f -> byIndex.put(f.index(), f));
    boolean[] run = LabelledStretches.frames(frames, dumped != null);
    ClipDetections detected = ClipDetections.of(fixtures, clip, setup, autoTiles, run, cache);
    double spacing = LabelledStretches.spacing(frames);
    ByteTracker tracker = null;
    String session = clip.name();
    for (int i = 0; i < run.length; i++) {
      if (!run[i]) {
        tracker = null;
        continue;
      }
      if (tracker == null) {
        // the tracker starts again on each stretch: a label id seen in another one (seconds
        // apart) is not a vehicle it could have kept
        session = clip.name() + "@" + i;
      }
      Detections found = detected.frames().get(i);
      timing[0] += found.inferNanos();
      timing[1]++;
      if (tracker == null) {
        tracker = new ByteTracker(setup.tracker());
      }
      ByteTracker.Update update = tracker.update(found.tsUtc(), found.items());
      AccuracyLabels.LabelledFrame labelled = byIndex.get(i);
      if (labelled != null) {
        score.detections(labelled.boxes(), found.items());
        score.tracks(session, labelled.boxes(), update.tracks(), spacing / detected.fps());
        if (dumped != null) {
          dumped.add(dump(clip, i, found.items()));
        }
      }
    }
  }

  private static JsonObject dump(AccuracyLabels.Clip clip, int index, List<Detection> found) {
    JsonArray boxes = new JsonArray();
    for (Detection d : found) {
      boxes.add(
          new JsonObject()
              .put("cls", d.label())
              .put("score", Math.round(d.score() * 1000) / 1000.0)
              .put(
                  "box",
                  new JsonArray()
                      .add(Math.round(d.x1()))
                      .add(Math.round(d.y1()))
                      .add(Math.round(d.x2()))
                      .add(Math.round(d.y2()))));
    }
    return new JsonObject().put("clip", clip.name()).put("frame", index).put("boxes", boxes);
  }

  private AccuracyBench() {}
}
