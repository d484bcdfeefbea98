package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.camera.Thresholds;
import io.stopsign.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Thresholds with some keys overridden (what-if re-scoring)")
class ThresholdOverridesTest {
  private static final Thresholds PX = Thresholds.defaults(Thresholds.PX);
  private static final Thresholds MPS = Thresholds.defaults(Thresholds.MPS);

  @Test
  @DisplayName("Given keys replace the configured values, the others stay as configured")
  void overridesSomeKeys() {
    Thresholds configured =
        PX.withOverrides(new JsonObject().put("full_min_time_in_zone", 3).put("parked_speed", 4));
    Thresholds t =
        configured.withOverrides(
            new JsonObject()
                .put("full_min_stop_duration", 0.8)
                .put("stop_speed", "20 px/s")
                .put("debounce_frames", 3));
    assertThat(t.fullMinStopDuration()).isEqualTo(0.8);
    assertThat(t.stopSpeed()).isEqualTo(20);
    assertThat(t.debounceFrames()).isEqualTo(3);
    assertThat(t.fullMinTimeInZone()).isEqualTo(3);
    assertThat(t.parkedSpeed()).isEqualTo(4);
    assertThat(t.speedUnit()).isEqualTo(Thresholds.PX);
    assertThat(PX.withOverrides(new JsonObject())).isEqualTo(PX);
  }

  @Test
  @DisplayName("Calibrated cameras take speeds in m/s or with a unit")
  void calibratedSpeeds() {
    assertThat(MPS.withOverrides(new JsonObject().put("stop_speed", "3.6 km/h")).stopSpeed())
        .isEqualTo(1.0);
    assertThat(MPS.withOverrides(new JsonObject().put("stop_speed", 0.3)).stopSpeed())
        .isEqualTo(0.3);
  }

  @Test
  @DisplayName("Unknown keys, bad values, the wrong unit and null are refused naming the key")
  void refusals() {
    assertRefused(PX, new JsonObject().put("stop_sped", 3), "thresholds.stop_sped", "unknown key");
    assertRefused(PX, new JsonObject().put("stop_speed", -1), "thresholds.stop_speed", "speed");
    assertRefused(
        PX, new JsonObject().put("stop_speed", "1 m/s"), "thresholds.stop_speed", "no calibration");
    assertRefused(
        MPS, new JsonObject().put("stop_speed", "10 px/s"), "thresholds.stop_speed", "calibrated");
    assertRefused(PX, new JsonObject().put("speed_unit", "m/s"), "thresholds.speed_unit", "px/s");
    assertRefused(
        PX, new JsonObject().put("debounce_frames", 2.5), "thresholds.debounce_frames", "integer");
    assertRefused(
        PX,
        new JsonObject().put("full_min_stop_duration", "long"),
        "thresholds.full_min_stop_duration",
        "number");
    assertRefused(
        PX,
        new JsonObject().put("min_pass_duration", 70),
        "thresholds.min_pass_duration",
        "max_pass_duration");
    assertRefused(
        PX, new JsonObject().putNull("stop_speed"), "thresholds.stop_speed", "needs a value");
  }

  private static void assertRefused(Thresholds base, JsonObject overrides, String key, String why) {
    assertThatThrownBy(() -> base.withOverrides(overrides))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(why);
  }
}
