package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.stopsign.ops.Meters;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.ReadyChecks;
import io.stopsign.testing.RtspServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RTSP server process killed with SIGKILL and started again on the same port after the
 * reconnect backoff has grown: frames must come back within 10 s of its return, whatever the outage
 * lasted (the backoff is capped at watchdog.reconnect_max_seconds).
 */
class RtspRestartTest {
  private static final Path CLIP = Path.of("media/road-cars-720p30.mp4");
  @TempDir Path dataDir;

  @Test
  @DisplayName(
      "the RTSP server killed -9 and restarted after a long outage: cam1 DOWN, then frames again within 10 s of its return")
  void serverKilledAndRestarted() throws Exception {
    int port = RtspServer.freePort();
    RtspServer rtsp = RtspServer.start(Fixtures.path(CLIP.toString()), port);
    Path file = dataDir.resolve("stopsign.yaml");
    Files.writeString(
        file,
        ("http: {port: 0}\ndata_dir: %s\nroles: [analyzer]\n"
                + "model: {path: %s, family: fastestdet}\n"
                + "cameras:\n  - id: cam1\n    source: %s\n")
            .formatted(dataDir, Fixtures.path("models/fastestdet.onnx"), rtsp.url()));
    StopSignConfig config = ConfigLoader.load(file, null, Map.of(), new Properties());
    Service service =
        Service.start(config).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    try {
      JsonObject first = await(service, c -> "UP".equals(c.getString("status")), "UP");
      String firstRun = first.getJsonObject("data").getString("run_id");
      kill9(rtsp.pid());
      long killed = System.nanoTime();
      JsonObject down = await(service, c -> "DOWN".equals(c.getString("status")), "DOWN");
      long detected = System.nanoTime();
      double reconnectsAtDown = reconnects();
      // an outage long enough that an uncapped doubling backoff would wait 16 s and more
      while (reconnects() < reconnectsAtDown + 5) {
        Thread.sleep(100);
      }
      long outage = System.nanoTime() - killed;
      rtsp = RtspServer.start(Fixtures.path(CLIP.toString()), port);
      long back = System.nanoTime();
      JsonObject up =
          await(
              service,
              c ->
                  "UP".equals(c.getString("status"))
                      && !firstRun.equals(c.getJsonObject("data").getString("run_id")),
              "UP on a new run");
      long recovered = System.nanoTime();
      System.out.printf(
          "RTSP server killed: cam1 DOWN %.1f s later ('%s'); server back after %.1f s of"
              + " outage; frames again %.1f s after its return (run %s)%n",
          (detected - killed) / 1e9,
          down.getJsonObject("data").getString("reason"),
          outage / 1e9,
          (recovered - back) / 1e9,
          up.getJsonObject("data").getString("run_id"));
      assertThat(outage).isGreaterThan(TimeUnit.SECONDS.toNanos(10));
      assertThat(recovered - back).isLessThan(TimeUnit.SECONDS.toNanos(10));
    } finally {
      service.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      rtsp.close();
    }
  }

  private static double reconnects() {
    Counter c =
        Meters.registry().find("stopsign_decode_reconnects").tag("camera", "cam1").counter();
    return c == null ? 0 : c.count();
  }

  private static void kill9(long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static JsonObject await(Service service, Predicate<JsonObject> wanted, String what)
      throws Exception {
    return ReadyChecks.await(
        service.httpPort(), "camera.cam1", wanted, Duration.ofSeconds(240), what);
  }
}
