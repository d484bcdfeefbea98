package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.testing.TestDb;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline watchdog's actions land in the events table of the real persistence verticle on
 * embedded Postgres: inference blocked, then recovered. The camera's decode and inference counters
 * are moved here as those stages move them.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Watchdog actions stored as events")
class WatchdogEventsTest {
  @TempDir Path dataDir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName(
      "frames decoded with no inference result past the stall limit store inference_stall/blocked; the next result stores recovered")
  void inferenceStallStored(Vertx vertx) throws Exception {
    String camera = "wd" + UUID.randomUUID().toString().substring(0, 8);
    Codecs.register(vertx.eventBus());
    TestDb.deployPersist(
        vertx,
        dataDir,
        new CameraConfig(
            camera,
            "rtsp://127.0.0.1:9/x",
            false,
            new JudgeConfig(List.of(), List.of(), List.of())));
    Counter decoded = counter("stopsign_frames_decoded", camera);
    Counter inferred = counter("stopsign_frames_inferred", camera);
    vertx
        .deployVerticle(new PipelineWatchdog(camera, "test", Duration.ofSeconds(1), 1.0, 10))
        .await(30, TimeUnit.SECONDS);
    String sql =
        "SELECT payload->>'watchdog', payload->>'action' FROM events"
            + " WHERE camera = ? AND kind = 'watchdog' ORDER BY ts_utc";
    while (actions(sql, camera).isEmpty()) {
      decoded.increment(); // frames keep coming, the detector answers none
      Thread.sleep(200);
    }
    assertThat(actions(sql, camera)).containsExactly("inference_stall:blocked");
    while (actions(sql, camera).size() < 2) {
      inferred.increment();
      Thread.sleep(200);
    }
    assertThat(actions(sql, camera))
        .containsExactly("inference_stall:blocked", "inference_stall:recovered");
  }

  private static Counter counter(String name, String camera) {
    return Counter.builder(name).tag("camera", camera).register(Meters.registry());
  }

  private static List<String> actions(String sql, String camera) throws Exception {
    return TestDb.rows(sql, camera).stream().map(r -> r.get(0) + ":" + r.get(1)).toList();
  }
}
