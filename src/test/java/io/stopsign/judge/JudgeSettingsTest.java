package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.Thresholds;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The judge's config: the file's thresholds with the zone editor's stored geometry over it. */
class JudgeSettingsTest {
  private static final JudgeConfig FILE =
      new JudgeConfig(
          List.of(new double[] {0, 0}, new double[] {10, 0}, new double[] {10, 10}),
          List.of(),
          List.of());
  private static final JudgeConfig STORED =
      new JudgeConfig(
          List.of(new double[] {50, 50}, new double[] {90, 50}, new double[] {90, 90}),
          List.of(),
          List.of());

  private static JudgeConfig fileWithStopSpeed(double stopSpeed) {
    return new JudgeConfig(
        FILE.stopZone(),
        List.of(),
        List.of(),
        null,
        Thresholds.defaults(Thresholds.PX)
            .withOverrides(new JsonObject().put("stop_speed", stopSpeed)));
  }

  @Test
  @DisplayName(
      "a stored geometry wins over the file's, and a file reload keeps it but brings its thresholds")
  void storedWinsOverReloads() {
    JudgeSettings settings = new JudgeSettings(FILE);
    assertThat(settings.current().stopZone()).isEqualTo(FILE.stopZone());
    assertThat(settings.stored(STORED, 1).stopZone()).isEqualTo(STORED.stopZone());
    JudgeConfig reloaded = settings.fromFile(fileWithStopSpeed(7));
    assertThat(reloaded.stopZone()).isEqualTo(STORED.stopZone());
    assertThat(reloaded.thresholds().stopSpeed()).isEqualTo(7);
  }

  @Test
  @DisplayName("an older stored version (a late start-up answer) never replaces a newer one")
  void olderVersionIgnored() {
    JudgeSettings settings = new JudgeSettings(FILE);
    assertThat(settings.stored(STORED, 2)).isNotNull();
    assertThat(settings.stored(FILE, 1)).isNull();
    assertThat(settings.stored(FILE, 2)).isNull();
    assertThat(settings.current().stopZone()).isEqualTo(STORED.stopZone());
    assertThat(settings.storedVersion()).isEqualTo(2);
  }
}
