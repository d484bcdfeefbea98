package io.stopsign.ops;

import static io.stopsign.ops.DiskRetentionTest.CLOCK;
import static io.stopsign.ops.DiskRetentionTest.KB;
import static io.stopsign.ops.DiskRetentionTest.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopsign.StopSignConfig;
import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class DiskRetentionVerticleTest {
  @TempDir Path dataDir;

  private static double bytes(String kind) {
    return Meters.registry().get("stopsign_disk_bytes").tag("kind", kind).gauge().value();
  }

  private static double deleted() {
    MeterRegistry r = Meters.registry();
    return r.get("stopsign_disk_deleted_files").tag("kind", "snapshots").counter().count();
  }

  @Test
  @DisplayName("a sweep sets the size gauges per kind and counts the deleted snapshots")
  void gaugesReportSizes(Vertx vertx, VertxTestContext ctx) throws Exception {
    file(dataDir, "snapshots/cam1/old.jpg", 6 * KB, Duration.ofDays(60));
    file(dataDir, "snapshots/cam1/new.jpg", 5 * KB, Duration.ofHours(1));
    file(dataDir, "hls/cam1/seg1.ts", 7 * KB, Duration.ofSeconds(3));
    file(dataDir, "hls/cam1/index.m3u8", 1 * KB, Duration.ofSeconds(3));
    file(dataDir, "spool/persist.spool", 11 * KB, Duration.ofMinutes(2));
    DiskRetentionVerticle verticle =
        new DiskRetentionVerticle(dataDir, new DiskConfig(30, 2048, 5), CLOCK);
    double before = deleted();
    vertx
        .deployVerticle(verticle)
        .compose(id -> verticle.sweepNow())
        .onComplete(
            ctx.succeeding(
                sweep ->
                    ctx.verify(
                        () -> {
                          assertThat(bytes("snapshots")).isEqualTo(5 * KB);
                          assertThat(bytes("hls")).isEqualTo(8 * KB);
                          assertThat(bytes("spool")).isEqualTo(11 * KB);
                          // the start-up sweep deleted old.jpg; this one found nothing more
                          assertThat(deleted() - before).isEqualTo(1);
                          assertThat(dataDir.resolve("snapshots/cam1/old.jpg")).doesNotExist();
                          assertThat(Meters.prometheus().scrape())
                              .contains("stopsign_disk_bytes{kind=\"hls\"}")
                              .contains("stopsign_disk_deleted_files_total{kind=\"snapshots\"}");
                          ctx.completeNow();
                        })));
  }

  @Test
  @DisplayName("the disk section defaults, and bad values give a one-line ConfigException")
  void configValidation() {
    StopSignConfig defaults = StopSignConfig.from(ConfigReader.of("", Map.of()));
    assertThat(defaults.disk()).isEqualTo(DiskConfig.DEFAULTS);
    assertThat(
            StopSignConfig.from(
                    ConfigReader.of(
                        "",
                        Map.of("disk", Map.of("snapshot_retention_days", 0, "sweep_minutes", 1))))
                .disk())
        .isEqualTo(new DiskConfig(0, 2048, 1));

    assertThatThrownBy(() -> disk(Map.of("snapshot_max_mb", -1)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config: disk.snapshot_max_mb = -1: must be an integer from 0 to 10000000");
    assertThatThrownBy(() -> disk(Map.of("snapshot_retention_days", "a month")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config: disk.snapshot_retention_days = \"a month\": must be an integer from 0 to 36500");
    assertThatThrownBy(() -> disk(Map.of("sweep_minutes", 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("\n")
        .hasMessageContaining("disk.sweep_minutes");
    assertThatThrownBy(() -> disk(Map.of("snapshot_max_gb", 2)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config: disk.snapshot_max_gb = 2: unknown key");
    assertThatThrownBy(() -> StopSignConfig.from(ConfigReader.of("", Map.of("disk", 5))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config: disk = 5: must be a mapping of keys");
  }

  private static DiskConfig disk(Map<String, Object> section) {
    return StopSignConfig.from(ConfigReader.of("", Map.of("disk", section))).disk();
  }
}
