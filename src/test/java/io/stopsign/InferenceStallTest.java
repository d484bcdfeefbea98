package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.stopsign.camera.CameraConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.decode.DecodeVerticle;
import io.stopsign.inference.Detections;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.ops.Meters;
import io.stopsign.ops.PipelineWatchdog;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.ReadyChecks;
import io.stopsign.web.ProbesVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inference that blocks, with the real pipeline around it: real decode of the test pattern, the
 * real FastestDet detector whose calls the test holds on a latch (the thing under test is the
 * watchdog and the frame queue, not the detector), the per-camera watchdog and the probes' /ready.
 */
class InferenceStallTest {
  @TempDir Path dir;

  /** The real detector, each call waiting while the test holds the gate. */
  static final class HeldDetector implements Detector {
    private final Detector real;
    volatile CountDownLatch gate;
    volatile long heldSince;

    HeldDetector(Detector real) {
      this.real = real;
    }

    @Override
    public InputGeometry input() {
      return real.input();
    }

    @Override
    public Detections detect(Frame frame) {
      CountDownLatch g = gate;
      if (g != null) {
        if (heldSince == 0) {
          heldSince = System.nanoTime();
        }
        try {
          g.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.detect(frame);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  @DisplayName(
      "a blocked detector: inference.cam1 DOWN in /ready and the stall gauge, frames dropped (queue bounded, no buffer growth), UP again once it returns")
  void blockedInference() throws Exception {
    Path file = dir.resolve("stopsign.yaml");
    Files.writeString(
        file,
        ("http: {port: 0}\ndata_dir: %s\nmodel: {path: %s, family: fastestdet}\n"
                + "cameras:\n  - id: cam1\n    source: testpattern?size=320x240&rate=15\n")
            .formatted(dir, Fixtures.path("models/fastestdet.onnx")));
    StopSignConfig config = ConfigLoader.load(file, null, Map.of(), new Properties());
    CameraConfig camera = config.cameras().get(0);
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx.eventBus());
    HeldDetector detector = new HeldDetector(Detectors.open(config.model()));
    try {
      ProbesVerticle probes = new ProbesVerticle(config.http(), "local");
      await(vertx.deployVerticle(probes));
      await(vertx.deployVerticle(new InferenceVerticle("cam1", detector, 2, 1)));
      await(
          vertx.deployVerticle(new DecodeVerticle(camera, detector.input(), dir, false, "local")));
      await(
          vertx.deployVerticle(
              new PipelineWatchdog("cam1", "local", Duration.ofSeconds(3), 0.05, 60)));
      int ready = probes.actualPort();
      awaitCheck(ready, c -> "UP".equals(c.getString("status")) && inferred() > 5, "UP");

      double dropsBefore = counter("stopsign_queue_dropped");
      double bytesBefore = directBytes();
      detector.gate = new CountDownLatch(1);
      // a slow call on this shared machine may already read DOWN: wait for one the block explains
      JsonObject down =
          awaitCheck(
              ready,
              c ->
                  "DOWN".equals(c.getString("status"))
                      && detector.heldSince != 0
                      && System.nanoTime() - detector.heldSince > TimeUnit.SECONDS.toNanos(3),
              "DOWN");
      long detected = System.nanoTime();
      // while it stays blocked, 30 more frames (2 s at 15 fps) go through the queue
      int maxDepth = 0;
      double target = counter("stopsign_queue_dropped") + 30;
      long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (counter("stopsign_queue_dropped") < target && System.nanoTime() < giveUp) {
        maxDepth = Math.max(maxDepth, (int) gauge("stopsign_queue_depth"));
        Thread.sleep(50);
      }
      double stalledGauge = gauge("stopsign_inference_stalled_seconds");
      double drops = counter("stopsign_queue_dropped") - dropsBefore;
      double bufferBytes = directBytes() - bytesBefore;

      long released = System.nanoTime();
      detector.gate.countDown();
      detector.gate = null;
      awaitCheck(ready, c -> "UP".equals(c.getString("status")), "UP again");
      long recovered = System.nanoTime();
      System.out.printf(
          "blocked inference: /ready DOWN %.1f s after the detector blocked (limit 3 s): '%s';"
              + " stall gauge %.1f s; %.0f frames dropped, queue depth at most %d, direct memory"
              + " %+.1f MB (each queued frame would hold %.2f MB); UP %.1f s after it returned%n",
          (detected - detector.heldSince) / 1e9,
          down.getJsonObject("data").getString("reason"),
          stalledGauge,
          drops,
          maxDepth,
          bufferBytes / 1e6,
          frameBytes(detector) / 1e6,
          (recovered - released) / 1e9);
      assertThat(down.getJsonObject("data").getString("reason"))
          .startsWith("no inference result for");
      assertThat(stalledGauge).as("stall gauge while blocked").isGreaterThan(3);
      assertThat(drops).as("frames dropped while blocked").isGreaterThanOrEqualTo(30);
      assertThat(maxDepth).as("frames waiting for inference").isEqualTo(2);
      assertThat(bufferBytes)
          .as("direct memory grown while %.0f frames were dropped", drops)
          .isLessThan(drops * frameBytes(detector) / 4);
    } finally {
      CountDownLatch gate = detector.gate;
      if (gate != null) {
        gate.countDown();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private static double inferred() {
    return counter("stopsign_frames_inferred");
  }

  private static double counter(String name) {
    var c = Meters.registry().find(name).tag("camera", "cam1").counter();
    return c == null ? 0 : c.count();
  }

  private static double gauge(String name) {
    Gauge g = Meters.registry().find(name).tag("camera", "cam1").gauge();
    return g == null ? Double.NaN : g.value();
  }

  /** Direct memory in use, after a collection so that dropped frames' buffers count as freed. */
  private static double directBytes() throws InterruptedException {
    System.gc();
    Thread.sleep(200); // the cleaner frees collected buffers on its own thread
    Gauge g = Meters.registry().find("jvm.buffer.memory.used").tag("id", "direct").gauge();
    return g == null ? 0 : g.value();
  }

  private static double frameBytes(Detector detector) {
    return 3.0 * detector.input().width() * detector.input().height();
  }

  private static JsonObject awaitCheck(int port, Predicate<JsonObject> wanted, String what)
      throws Exception {
    return ReadyChecks.await(port, "inference.cam1", wanted, Duration.ofMinutes(3), what);
  }
}
