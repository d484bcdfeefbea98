package io.stopsign.inference;

import io.stopsign.config.ConfigReader;
import java.util.List;

/**
 * {@code model.*}: which detector to run. An empty path means the default CenterNet model, fetched
 * on first use.
 *
 * @param family output decoder: centernet, yolov8, yolox, fastestdet
 * @param engine tensorflow or onnx; "auto" picks by file type
 */
public record ModelConfig(
    String path,
    String family,
    String engine,
    double confidence,
    double nmsIou,
    List<String> classes,
    int threads) {

  public static final List<String> FAMILIES = List.of("centernet", "yolov8", "yolox", "fastestdet");
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
            r.integer("threads", 1, 1, 64));
    r.done();
    return c;
  }
}
