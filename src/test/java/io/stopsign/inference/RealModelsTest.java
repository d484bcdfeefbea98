package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("Real detectors on the street image")
class RealModelsTest {
  private static final Logger LOG = LoggerFactory.getLogger(RealModelsTest.class);
  private static final Detection BIG_CAR = new Detection(2, "car", 1f, 662, 586, 972, 770);
  private static BufferedImage street;

  @BeforeAll
  static void load() {
    street();
  }

  static synchronized BufferedImage street() {
    if (street == null) {
      street = TestFrames.image("images/street.jpg");
    }
    return street;
  }

  static ModelConfig config(String path, String family) {
    return new ModelConfig(
        path, family, "auto", 0.3, 0.5, List.of("car", "truck", "bus", "motorcycle"), 1);
  }

  static Detections run(Detector detector, String name) {
    return run(detector, name, 5);
  }

  /**
   * Detects the street image once plus {@code timed} times, logs the median time, returns the last
   * result.
   */
  static Detections run(Detector detector, String name, int timed) {
    Frame frame = TestFrames.frame(street(), detector.input());
    Detections result = detector.detect(frame);
    long[] ms = new long[Math.max(1, timed)];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      result = detector.detect(frame);
      ms[i] = (System.nanoTime() - t) / 1_000_000;
    }
    Arrays.sort(ms);
    LOG.info(
        "{}: median detect {} ms (of {}), found {}",
        name,
        ms[ms.length / 2],
        Arrays.toString(ms),
        result.items());
    return result;
  }

  static void assertBigCar(Detections d) {
    assertThat(d.rawWidth()).isEqualTo(1330);
    assertThat(d.items())
        .as("a car box overlapping [662,586,972,770] by IoU >= 0.7")
        .anySatisfy(
            det -> {
              assertThat(det.label()).isEqualTo("car");
              assertThat(det.iou(BIG_CAR)).isGreaterThanOrEqualTo(0.7f);
            });
    assertThat(d.items())
        .allSatisfy(det -> assertThat(det.label()).isIn("car", "truck", "bus", "motorcycle"));
  }

  @Test
  @DisplayName("YOLOv8n-int8 on ONNX Runtime finds the big car")
  void yolov8() {
    try (Detector d =
        Detectors.open(config(Fixtures.path("models/yolov8n-int8.onnx").toString(), "yolov8"))) {
      assertThat(d.input()).isEqualTo(new InputGeometry(640, 640, true));
      assertBigCar(run(d, "yolov8n-int8"));
    }
  }

  @Test
  @DisplayName("YOLOX-nano on ONNX Runtime finds the big car")
  void yolox() {
    try (Detector d =
        Detectors.open(config(Fixtures.path("models/yolox-nano.onnx").toString(), "yolox"))) {
      assertBigCar(run(d, "yolox-nano"));
    }
  }

  @Test
  @DisplayName("FastestDet on ONNX Runtime finds the big car")
  void fastestdet() {
    try (Detector d =
        Detectors.open(config(Fixtures.path("models/fastestdet.onnx").toString(), "fastestdet"))) {
      assertThat(d.input()).isEqualTo(new InputGeometry(352, 352, false));
      assertBigCar(run(d, "fastestdet"));
    }
  }

  @Test
  @DisplayName(
      "CenterNet converted in-process from TF.js runs on TensorFlow Java and finds the big car")
  void centernet() {
    try (Detector d =
        Detectors.open(
            config(Fixtures.path("models/centernet/centernet.json").toString(), "centernet"))) {
      assertThat(d.input()).isEqualTo(new InputGeometry(512, 512, true));
      assertBigCar(run(d, "centernet-tfjs"));
    }
  }

  @Test
  @DisplayName(
      "NanoDet fetched from npm, its per-stride outputs joined, runs on TensorFlow Java and finds"
          + " the big car")
  void nanodet() {
    try (Detector d = Detectors.open(config("", "nanodet"))) {
      assertThat(d.input()).isEqualTo(new InputGeometry(416, 416, true));
      assertBigCar(run(d, "nanodet-tfjs"));
    }
  }
}
