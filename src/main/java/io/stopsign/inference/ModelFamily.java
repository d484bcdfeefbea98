package io.stopsign.inference;

import io.stopsign.media.InputGeometry;
import java.util.Locale;

/** How each supported model family wants its input built and its output read, as it was trained. */
enum ModelFamily {
  /** MobileNetV3 CenterNet: centred letterbox on black, RGB 0-255. */
  CENTERNET(512, 512, true, 0, false, 1f, new float[] {0, 0, 0}, new float[] {1, 1, 1}),
  /** Ultralytics: centred letterbox on grey 114, RGB / 255. */
  YOLOV8(640, 640, true, 114, false, 1 / 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1}),
  /** YOLOX (bubbliiiing): centred letterbox on grey 128, RGB / 255 then ImageNet mean/std. */
  YOLOX(
      640,
      640,
      true,
      128,
      false,
      1 / 255f,
      new float[] {0.485f, 0.456f, 0.406f},
      new float[] {0.229f, 0.224f, 0.225f}),
  /** FastestDet: plain resize, BGR / 255. */
  FASTESTDET(352, 352, false, 0, true, 1 / 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1}),
  /**
   * NanoDet: centred letterbox on black, BGR 0-255 minus NanoDet's mean over its std. Human's own
   * RGB / 255 finds a third as many cars, plain resize misses big close ones (bench --accuracy).
   */
  NANODET(
      416,
      416,
      true,
      0,
      true,
      1f,
      new float[] {103.53f, 116.28f, 123.675f},
      new float[] {57.375f, 57.12f, 58.395f});

  final int defaultWidth;
  final int defaultHeight;
  final boolean letterbox;
  final int padGrey;
  final boolean bgr;
  final float scale;
  final float[] mean;
  final float[] std;

  ModelFamily(
      int defaultWidth,
      int defaultHeight,
      boolean letterbox,
      int padGrey,
      boolean bgr,
      float scale,
      float[] mean,
      float[] std) {
    this.defaultWidth = defaultWidth;
    this.defaultHeight = defaultHeight;
    this.letterbox = letterbox;
    this.padGrey = padGrey;
    this.bgr = bgr;
    this.scale = scale;
    this.mean = mean;
    this.std = std;
  }

  /** The config name: centernet, yolov8, yolox, fastestdet, nanodet. */
  String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ModelFamily of(String configName) {
    for (ModelFamily f : values()) {
      if (f.configName().equals(configName)) {
        return f;
      }
    }
    throw new ModelException(
        "unknown model family \""
            + configName
            + "\" (expected one of "
            + ModelConfig.FAMILIES
            + ")");
  }

  InputTensorWriter writer(InputGeometry geometry, boolean nchw) {
    return new InputTensorWriter(geometry, nchw, bgr, padGrey, scale, mean, std);
  }

  /**
   * The decoder for an output of this shape; a {@link ModelException} when the shape does not fit.
   */
  OutputDecoder decoder(long[] outputShape, InputGeometry geometry) {
    return switch (this) {
      case CENTERNET -> new CenterNetDecoder(outputShape);
      case YOLOV8 -> new YoloV8Decoder(outputShape);
      case YOLOX -> new YoloxDecoder(outputShape, geometry);
      case FASTESTDET -> new FastestDetDecoder(outputShape, geometry);
      case NANODET -> new NanoDetDecoder(outputShape, geometry);
    };
  }

  /** Whether a graph output of this name is the one to read when a model has several. */
  boolean prefersOutput(String name) {
    return this == CENTERNET && name.endsWith("detections");
  }

  /**
   * Whether the model's per-stride score and box outputs are joined into one ({@link OutputJoin}).
   */
  boolean joinsOutputs() {
    return this == NANODET;
  }
}
