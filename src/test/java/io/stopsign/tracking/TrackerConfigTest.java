package io.stopsign.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import io.stopsign.inference.Detection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The tracker's score thresholds follow the detector family unless set. */
class TrackerConfigTest {

  @Test
  @DisplayName("auto score thresholds suit the family: CenterNet's 0.3-0.6 scores start tracks")
  void autoFollowsTheFamily() {
    TrackerConfig yolo = TrackerConfig.from(ConfigReader.of("tracker", Map.of()), "yolov8");
    TrackerConfig centernet =
        TrackerConfig.from(ConfigReader.of("tracker", Map.of("high_score", "auto")), "centernet");
    assertThat(yolo).isEqualTo(TrackerConfig.DEFAULTS);
    assertThat(centernet.newTrackScore()).isLessThan(0.5);
    assertThat(centernet.highScore()).isLessThan(yolo.highScore());
    assertThat(centernet.lowScore()).isLessThanOrEqualTo(centernet.highScore());
    assertThat(centernet).isEqualTo(TrackerConfig.forFamily("centernet"));
    // NanoDet's quality scores sit on CenterNet's scale (the street image's big car 0.68)
    assertThat(TrackerConfig.forFamily("nanodet")).isEqualTo(centernet);
    // low scores make IoU x score small: CenterNet's match costs are looser than YOLO's
    assertThat(centernet.matchCost()).isEqualTo(0.9);
    assertThat(centernet.unconfirmedMatchCost()).isEqualTo(0.85);
    assertThat(yolo.matchCost()).isEqualTo(0.8);
    TrackerConfig set =
        TrackerConfig.from(
            ConfigReader.of("tracker", Map.of("match_cost", "0.8", "unconfirmed_match_cost", 0.7)),
            "centernet");
    assertThat(set.matchCost()).isEqualTo(0.8);
    assertThat(set.unconfirmedMatchCost()).isEqualTo(0.7);
  }

  @Test
  @DisplayName("a number set in the config wins over auto; a bad value is named")
  void explicitValuesWin() {
    TrackerConfig set =
        TrackerConfig.from(
            ConfigReader.of("tracker", Map.of("new_track_score", 0.7, "high_score", 0.55)),
            "centernet");
    assertThat(set.newTrackScore()).isEqualTo(0.7);
    assertThat(set.highScore()).isEqualTo(0.55);
    assertThatThrownBy(
            () ->
                TrackerConfig.from(
                    ConfigReader.of("tracker", Map.of("high_score", "high")), "centernet"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracker.high_score");
  }

  @Test
  @DisplayName(
      "recover_distance and recover_size_ratio are read, 0 turns recovery off, bad ones named")
  void recoveryKeys() {
    TrackerConfig set =
        TrackerConfig.from(
            ConfigReader.of("tracker", Map.of("recover_distance", 0, "recover_size_ratio", 2)),
            "centernet");
    assertThat(set.recoverDistance()).isZero();
    assertThat(set.recoverSizeRatio()).isEqualTo(2.0);
    assertThat(TrackerConfig.forFamily("yolox").recoverDistance()).isEqualTo(0.5);
    assertThatThrownBy(
            () ->
                TrackerConfig.from(
                    ConfigReader.of("tracker", Map.of("recover_size_ratio", 0.5)), "yolov8"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracker.recover_size_ratio");
    assertThatThrownBy(
            () ->
                TrackerConfig.from(
                    ConfigReader.of("tracker", Map.of("recover_distance", -1)), "yolov8"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracker.recover_distance");
  }

  @Test
  @DisplayName("lost_low_distance is read (default 0.3, 0 turns it off), a bad one named")
  void lostLowKey() {
    assertThat(TrackerConfig.forFamily("centernet").lostLowDistance()).isEqualTo(0.3);
    assertThat(
            TrackerConfig.from(ConfigReader.of("tracker", Map.of("lost_low_distance", 0)), "yolox")
                .lostLowDistance())
        .isZero();
    assertThatThrownBy(
            () ->
                TrackerConfig.from(
                    ConfigReader.of("tracker", Map.of("lost_low_distance", -1)), "yolov8"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracker.lost_low_distance");
  }

  @Test
  @DisplayName("cut_reach is read (default 1, 0 turns it off), a bad one named")
  void cutReachKey() {
    assertThat(TrackerConfig.forFamily("centernet").cutReach()).isEqualTo(1.0);
    assertThat(TrackerConfig.DEFAULTS.cutReach()).isEqualTo(1.0);
    assertThat(
            TrackerConfig.from(ConfigReader.of("tracker", Map.of("cut_reach", 0)), "yolox")
                .cutReach())
        .isZero();
    assertThatThrownBy(
            () -> TrackerConfig.from(ConfigReader.of("tracker", Map.of("cut_reach", -1)), "yolov8"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracker.cut_reach");
  }

  @Test
  @DisplayName("a tracker whose thresholds sit above every score says so once, not silently")
  void starvationIsReported() {
    StarvedTracker watch = new StarvedTracker(TrackerConfig.DEFAULTS);
    List<Detection> low = List.of(new Detection(2, "car", 0.45f, 0, 0, 50, 40));
    String said = null;
    int frames = 0;
    while (said == null && frames < 2 * StarvedTracker.FRAMES) {
      said = watch.observe(low, 0);
      frames++;
    }
    assertThat(frames).isEqualTo(StarvedTracker.FRAMES);
    assertThat(said).contains("0.45").contains("new_track_score 0.60");
    assertThat(watch.observe(low, 0)).isNull();
    StarvedTracker fed = new StarvedTracker(TrackerConfig.forFamily("centernet"));
    for (int i = 0; i < 2 * StarvedTracker.FRAMES; i++) {
      assertThat(fed.observe(low, 0)).isNull();
    }
  }
}
