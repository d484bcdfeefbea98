package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.ConfigLoader;
import io.stopsign.StopSignConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.Thresholds;
import io.stopsign.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Judge configuration: zones, calibration and thresholds")
class JudgeConfigTest {
  @TempDir Path dir;

  private StopSignConfig load(String camera) throws IOException {
    Path file = dir.resolve("stopsign.yaml");
    Files.writeString(file, "cameras:\n  - id: cam1\n    source: testpattern\n" + camera.indent(4));
    return ConfigLoader.load(file, null, Map.of(), new Properties());
  }

  private JudgeConfig judge(String camera) throws IOException {
    return load(camera).cameras().get(0).judge();
  }

  @Test
  @DisplayName("A camera without judge keys gets the reference thresholds in px/s")
  void defaults() throws IOException {
    JudgeConfig c = judge("");
    assertThat(c.stopZone()).isEmpty();
    assertThat(c.speedUnit()).isEqualTo("px/s");
    assertThat(c.thresholds()).isEqualTo(Thresholds.defaults("px/s"));
    assertThat(c.thresholds().stopSpeed()).isEqualTo(12);
    assertThat(c.thresholds().fullMinTimeInZone()).isEqualTo(2.0);
    assertThat(c.thresholds().fullMinStopDuration()).isEqualTo(1.2);
    assertThat(c.thresholds().rollingMinTimeInZone()).isEqualTo(1.5);
    assertThat(c.thresholds().minPassDuration()).isEqualTo(0.2);
    assertThat(c.thresholds().maxPassDuration()).isEqualTo(60);
  }

  @Test
  @DisplayName("Calibration makes speeds m/s with m/s defaults, and speeds may carry their unit")
  void calibratedThresholds() throws IOException {
    JudgeConfig c =
        judge(
            """
            stop_zone: [[500, 400], [800, 400], [800, 600], [500, 600]]
            calibration:
              image: [[520, 600], [760, 600], [690, 350], [590, 350]]
              world: [[-2, 15], [2, 15], [2, 40], [-2, 40]]
            thresholds:
              stop_speed: 3.6 km/h
              full_min_stop_duration: 1.5
            """);
    assertThat(c.speedUnit()).isEqualTo("m/s");
    assertThat(c.thresholds().stopSpeed())
        .isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(c.thresholds().parkedSpeed()).isEqualTo(c.thresholds().stopSpeed());
    assertThat(c.thresholds().fullMinStopDuration()).isEqualTo(1.5);
    assertThat(
            judge(
                    "calibration:\n  image: [[520, 600], [760, 600], [690, 350], [590, 350]]\n"
                        + "  world: [[-2, 15], [2, 15], [2, 40], [-2, 40]]\n")
                .thresholds()
                .stopSpeed())
        .isEqualTo(0.5);
  }

  @Test
  @DisplayName("toJson and fromJson round-trip the whole judge configuration")
  void jsonRoundTrip() {
    JudgeConfig c = CalibrationTest.calibrated(new JsonObject().put("stop_speed", 0.4));
    JudgeConfig back = JudgeConfig.fromJson(new JsonObject(c.toJson().encode()));
    assertThat(back.toJson()).isEqualTo(c.toJson());
    assertThat(back.thresholds()).isEqualTo(c.thresholds());
  }

  @Test
  @DisplayName(
      "Bad geometry and thresholds are refused with the key, the value and what is allowed")
  void validation() {
    assertThatThrownBy(() -> judge("stop_zone: [[0, 0], [100, 0], [50, 20], [100, 100], [0, 100]]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cameras[0].stop_zone")
        .hasMessageContaining("convex");
    assertThatThrownBy(() -> judge("stop_zone: [[0, 0], [100, 100], [100, 0], [0, 100]]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cameras[0].stop_zone")
        .hasMessageContaining("self-intersecting");
    assertThatThrownBy(() -> judge("stop_zone: [[0, 0], [50, 50], [100, 100]]"))
        .hasMessageContaining("cameras[0].stop_zone")
        .hasMessageContaining("no area");
    assertThatThrownBy(
            () ->
                judge(
                    "calibration:\n  image: [[0, 0], [100, 0], [200, 0], [0, 100]]\n"
                        + "  world: [[0, 0], [1, 0], [1, 1], [0, 1]]\n"))
        .hasMessageContaining("cameras[0].calibration.image")
        .hasMessageContaining("degenerate");
    assertThatThrownBy(
            () ->
                judge(
                    "calibration:\n  image: [[0, 0], [100, 0], [100, 100], [0, 100]]\n"
                        + "  world: [[0, 0], [1, 1], [1, 0], [0, 1]]\n"))
        .hasMessageContaining("cameras[0].calibration.world")
        .hasMessageContaining("self-intersecting");
    assertThatThrownBy(() -> judge("pre_stop_line: [[0, 0], [0, 0]]"))
        .hasMessageContaining("cameras[0].pre_stop_line");
    assertThatThrownBy(
            () ->
                judge(
                    "stop_zone: [[0, 0], [100, 0], [100, 100], [0, 100]]\n"
                        + "pre_stop_line: [[0, 0], [100, 100]]"))
        .hasMessageContaining("cameras[0].pre_stop_line")
        .hasMessageContaining("approach side");
    assertThatThrownBy(() -> judge("thresholds:\n  stop_sped: 3"))
        .hasMessageContaining("cameras[0].thresholds.stop_sped")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> judge("thresholds:\n  stop_speed: 0.5 m/s"))
        .hasMessageContaining("cameras[0].thresholds.stop_speed")
        .hasMessageContaining("no calibration");
    assertThatThrownBy(() -> judge("thresholds:\n  full_min_time_in_zone: -1"))
        .hasMessageContaining("cameras[0].thresholds.full_min_time_in_zone");
    assertThatThrownBy(() -> judge("thresholds:\n  min_pass_duration: 70"))
        .hasMessageContaining("min_pass_duration");
    assertThatThrownBy(() -> JudgeConfig.fromJson(new JsonObject().put("stop_zone", "square")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stop_zone");
    assertThatThrownBy(() -> JudgeConfig.fromJson(new JsonObject().put("colour", "red")))
        .hasMessageContaining("colour")
        .hasMessageContaining("unknown key");
  }
}
