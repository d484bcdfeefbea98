package io.stopsign.inference;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model.*}: which detector to run. An empty path means the default CenterNet model, fetched
 * on first use.
 *
 * @param family output decoder: centernet, yolov8, yolox, fastestdet, nanodet
 * @param engine tensorflow or onnx; "auto" picks by file type
 * @param classConfidence a higher minimum score for some classes (class name to score)
 * @param threads the engine's intra-op threads; {@code auto} in the file is all cores but one
 * @param crossClassIou boxes of different classes overlapping this much are one vehicle: the
 *     lower-scored goes (1 = keep both)
 */
public record ModelConfig(
    String path,
    String family,
    String engine,
    double confidence,
    double nmsIou,
    List<String> classes,
    int threads,
    Map<String, Double> classConfidence,
    double crossClassIou) {

  /**
   * Trucks and buses need 0.45: CenterNet reads static roadside things (cabinets, buildings) as
   * "truck" at 0.30-0.42 (bench --accuracy, README "Accuracy").
   */
  public static final Map<String, Double> CLASS_CONFIDENCE = Map.of("truck", 0.45, "bus", 0.45);

  public static final List<String> CLASS_CONFIDENCE_TEXT = List.of("truck:0.45", "bus:0.45");
  public static final double CROSS_CLASS_IOU = 0.7;

  /** A configuration with the default class confidences and cross-class suppression. */
  public ModelConfig(
      String path,
      String family,
      String engine,
      double confidence,
      double nmsIou,
      List<String> classes,
      int threads) {
    this(
        path,
        family,
        engine,
        confidence,
        nmsIou,
        classes,
        threads,
        CLASS_CONFIDENCE,
        CROSS_CLASS_IOU);
  }

  public static final List<String> FAMILIES =
      List.of("centernet", "yolov8", "yolox", "fastestdet", "nanodet");
  public static final List<String> ENGINES = List.of("auto", "tensorflow", "onnx");

  public static ModelConfig from(ConfigReader r) {
    ModelConfig c =
        new ModelConfig(
            r.string("path", ""),
            r.oneOf("family", "centernet", FAMILIES),
            r.oneOf("engine", "auto", ENGINES),
            r.number("confidence", 0.3, 0.0, 1.0),
            r.number("nms_iou", 0.5, 0.0, 1.0),
            r.strings("classes", List.of("car", "truck", "bus", "motorcycle")),
            threads(r),
            classConfidence(r),
            r.number("cross_class_iou", CROSS_CLASS_IOU, 0.01, 1.0));
    r.done();
    return c;
  }

  /**
   * {@code threads: auto} (the default) or a number. Auto is all cores but one: the detector's
   * latency falls with intra-op threads, and the core left over keeps decode and the event loops
   * from stealing the detector's (on 2 cores, 2 threads put P1 under 0.95: docs/PERFORMANCE.md).
   */
  private static int threads(ConfigReader r) {
    Object v = r.raw("threads");
    return v == null || "auto".equals(v) ? autoThreads() : r.integer("threads", 1, 1, 64);
  }

  /** All cores but one, at least one. */
  public static int autoThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  /** {@code class_confidence: ["truck:0.45", "bus:0.45"]}: class name, colon, minimum score. */
  private static Map<String, Double> classConfidence(ConfigReader r) {
    List<String> items = r.strings("class_confidence", CLASS_CONFIDENCE_TEXT);
    Map<String, Double> out = new LinkedHashMap<>();
    for (String item : items) {
      String[] parts = item.split(":");
      double score = -1;
      if (parts.length == 2) {
        try {
          score = ConfigReader.parseDecimal(parts[1].strip());
        } catch (RuntimeException e) {
          score = -1;
        }
      }
      if (parts.length != 2 || !(score >= 0 && score <= 1) || CocoClasses.id(parts[0]) < 0) {
        throw new ConfigException(
            r.key("class_confidence"),
            item,
            "each item must be a COCO class name, a colon and a score 0..1 (truck:0.45)");
      }
      out.put(parts[0].strip(), score);
    }
    return Map.copyOf(out);
  }
}
