package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.camera.DetectRegions;
import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import io.stopsign.media.InputGeometry;
import io.stopsign.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tiles: the whole picture plus regions seen closer, boxes back in camera pixels, merged once. */
class TiledDetectorTest {
  private static final Detection BIG_CAR = new Detection(2, "car", 1, 662, 586, 972, 770);
  private static final ModelConfig FASTESTDET =
      new ModelConfig(
          Fixtures.path("models/fastestdet.onnx").toString(),
          "fastestdet",
          "auto",
          0.3,
          0.5,
          List.of("car", "truck", "bus", "motorcycle"),
          1);

  @Test
  @DisplayName("a real model through tiles still finds the big car of street.jpg in camera pixels")
  void realModelThroughTiles() {
    BufferedImage street = TestFrames.image("images/street.jpg");
    List<float[]> regions = List.of(new float[] {500, 450, 1100, 850});
    try (Detector tiled = new TiledDetector(Detectors.open(FASTESTDET), regions, 1280, 0.5)) {
      assertThat(tiled.input()).isEqualTo(InputGeometry.atMost(1280));
      Detections found = tiled.detect(TestFrames.frame(street, tiled.input()));
      assertThat(found.rawWidth()).isEqualTo(1330);
      assertThat(found.items()).anySatisfy(d -> assertThat(d.iou(BIG_CAR)).isGreaterThan(0.7f));
      long onBigCar = found.items().stream().filter(d -> d.iou(BIG_CAR) > 0.5f).count();
      assertThat(onBigCar).as("one box per vehicle after merging the views").isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "auto tiles are fractions of the picture: the street's big car, cut by both, is boxed whole")
  void relativeTilesScaleToThePicture() {
    BufferedImage street = TestFrames.image("images/street.jpg");
    // the lower half in two halves: the big car (x 662-972, y 586-770) straddles their cut at 665
    List<float[]> halves = List.of(new float[] {0, 0.4f, 0.5f, 1}, new float[] {0.5f, 0.4f, 1, 1});
    try (Detector tiled = new TiledDetector(Detectors.open(FASTESTDET), halves, true, 1280, 0.5)) {
      Detections found = tiled.detect(TestFrames.frame(street, tiled.input()));
      assertThat(found.items())
          .as("cut in both tiles, kept whole from the full view")
          .anySatisfy(d -> assertThat(d.iou(BIG_CAR)).isGreaterThan(0.8f))
          .noneSatisfy(
              d ->
                  assertThat(Math.min(Math.abs(d.x1() - 665), Math.abs(d.x2() - 665)))
                      .isLessThan(3f));
      // no part of it that a tile saw (x 723-1099, not touching the cut) either
      assertThat(found.items()).noneSatisfy(d -> assertThat(d.x2()).isBetween(1090f, 1110f));
      assertThat(found.items()).allSatisfy(d -> assertThat(d.x2()).isLessThanOrEqualTo(1331));
    }
  }

  @Test
  @DisplayName("boxes of one vehicle from two views or under two labels merge to the best one")
  void suppressAcrossViewsAndClasses() {
    List<Detection> merged =
        TiledDetector.suppress(
            List.of(
                new Detection(2, "car", 0.6f, 10, 10, 50, 40),
                new Detection(7, "truck", 0.7f, 11, 10, 51, 41),
                new Detection(2, "car", 0.5f, 200, 10, 240, 40)),
            0.5f);
    assertThat(merged).extracting(Detection::label).containsExactly("truck", "car");
  }

  @Test
  @DisplayName("views merge: a small car boxed apart by two views is one, the tile's box is kept")
  void mergeAcrossViews() {
    Detection whole = new Detection(2, "car", 0.7f, 100, 100, 120, 120);
    Detection tile = new Detection(2, "car", 0.5f, 103, 104, 123, 125);
    assertThat(whole.iou(tile)).as("under the NMS IoU").isLessThan(0.5f);
    assertThat(TiledDetector.merge(List.of(whole, tile), List.of(0, 1), 0.5f))
        .containsExactly(tile);
    // the same two boxes from one view are the model's own business (two cars, NMS kept both)
    assertThat(TiledDetector.merge(List.of(whole, tile), List.of(1, 1), 0.5f)).hasSize(2);
    // a small car in front of a big one, seen by another view, is not the big one
    Detection big = new Detection(2, "car", 0.8f, 100, 100, 200, 180);
    Detection small = new Detection(2, "car", 0.6f, 150, 140, 180, 170);
    assertThat(TiledDetector.merge(List.of(big, small), List.of(0, 2), 0.5f)).hasSize(2);
  }

  @Test
  @DisplayName(
      "detect_regions: auto tiles by default, none, boxes in camera pixels, bad ones named")
  void regionsFromConfig() {
    assertThat(DetectRegions.from(ConfigReader.of("cameras[0]", Map.of())))
        .isEqualTo(DetectRegions.AUTO);
    assertThat(DetectRegions.AUTO.relative()).isTrue();
    assertThat(DetectRegions.AUTO.regions()).hasSize(3);
    assertThat(
            DetectRegions.from(ConfigReader.of("cameras[0]", Map.of("detect_regions", "none")))
                .regions())
        .isEmpty();
    assertThat(
            DetectRegions.from(ConfigReader.of("cameras[0]", Map.of("detect_regions", List.of())))
                .regions())
        .isEmpty();
    DetectRegions two =
        DetectRegions.from(
            ConfigReader.of(
                "cameras[0]",
                Map.of(
                    "detect_regions",
                    List.of(List.of(0, 0, 320, 180), List.of(320, 0, 640, 180)),
                    "detect_width",
                    1920)));
    assertThat(two.regions()).hasSize(2);
    assertThat(two.sourceWidth()).isEqualTo(1920);
    assertThat(two.relative()).isFalse();
    assertThatThrownBy(
            () ->
                DetectRegions.from(
                    ConfigReader.of("cameras[0]", Map.of("detect_regions", "everywhere"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be auto, none or a list");
    assertThatThrownBy(
            () ->
                DetectRegions.from(
                    ConfigReader.of(
                        "cameras[0]", Map.of("detect_regions", List.of(List.of(0, 0, 320))))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cameras[0].detect_regions");
    assertThatThrownBy(
            () ->
                DetectRegions.from(
                    ConfigReader.of(
                        "cameras[0]",
                        Map.of("detect_regions", List.of(List.of(300, 0, 200, 180))))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("x1 < x2");
  }
}
