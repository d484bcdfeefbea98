package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.DropOldestQueue;
import io.stopsign.codec.Codecs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SessionMetricsReporterTest {

  @Test
  @DisplayName(
      "a sample reports the interval's decode and inference rates, latency percentiles from the histogram, queue drops and CPU")
  void reportsTheInterval(Vertx vertx, VertxTestContext test) {
    Codecs.register(vertx.eventBus());
    String camera = "rep" + UUID.randomUUID().toString().substring(0, 6);
    String run = UUID.randomUUID().toString();
    Counter decoded =
        Counter.builder("stopsign_frames_decoded")
            .tag("camera", camera)
            .register(Meters.registry());
    Counter inferred =
        Counter.builder("stopsign_frames_inferred")
            .tag("camera", camera)
            .register(Meters.registry());
    Timer latency =
        Timer.builder("stopsign_inference_latency")
            .tag("camera", camera)
            .publishPercentileHistogram()
            .register(Meters.registry());
    DropOldestQueue<Integer> frames =
        new DropOldestQueue<>("frames." + camera, camera, 1, Meters.registry(), f -> {});
    latency.record(Duration.ofMillis(500)); // before the reporter starts: not in its first sample

    vertx
        .eventBus()
        .<SessionSample>consumer(
            Addresses.SESSION_METRICS,
            message -> {
              JsonObject s = message.body().toJson(); // a record on the bus, its JSON in the table
              if (!camera.equals(s.getString("camera"))) {
                return;
              }
              test.verify(
                  () -> {
                    assertThat(s.getString("run_id")).isEqualTo(run);
                    assertThat(s.getDouble("ts_utc"))
                        .isCloseTo(
                            System.currentTimeMillis() / 1000.0,
                            org.assertj.core.data.Offset.offset(5.0));
                    assertThat(s.getDouble("fps_decode")).isBetween(20.0, 31.0);
                    assertThat(s.getDouble("fps_infer")).isBetween(10.0, 15.5);
                    assertThat(s.getDouble("latency_ms_p50")).isBetween(15.0, 25.0);
                    assertThat(s.getDouble("latency_ms_p95")).isBetween(50.0, 75.0);
                    assertThat(s.getLong("queue_drops")).isEqualTo(2L);
                    assertThat(s.getDouble("cpu")).isGreaterThanOrEqualTo(0.0);
                    frames.close();
                  });
              test.completeNow();
            });
    vertx
        .deployVerticle(new SessionMetricsReporter(camera, () -> run, 1000))
        .onComplete(
            test.succeeding(
                id -> {
                  decoded.increment(30);
                  inferred.increment(15);
                  for (int i = 0; i < 50; i++) {
                    latency.record(20, TimeUnit.MILLISECONDS);
                    latency.record(60, TimeUnit.MILLISECONDS);
                  }
                  for (int i = 0; i < 3; i++) {
                    frames.offer(i);
                  }
                }));
  }
}
