package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.ReadyChecks;
import io.stopsign.testing.RtspServer;
import io.stopsign.testing.TestDb;
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
 * An RTSP server that stops sending mid-stream (the real server frozen with SIGSTOP, its connection
 * left open): the read timeout fires, /ready says why, and frames come back once the server runs
 * again.
 */
class StalledSourceTest {
  @TempDir Path dataDir;

  @Test
  @DisplayName(
      "a camera that stops sending: /ready goes DOWN, then names the read timeout, and is UP again once it resumes")
  void frozenServer() throws Exception {
    int port = RtspServer.freePort();
    try (RtspServer rtsp = RtspServer.start(Fixtures.path("media/road-cars-720p30.mp4"), port)) {
      Path file = dataDir.resolve("stopsign.yaml");
      Files.writeString(
          file,
          ("http: {port: 0}\ndata_dir: %s\ndb: {url: \"%s\"}\nmodel: {path: %s, family: fastestdet}\n"
                  + "cameras:\n  - id: cam1\n    source: %s\n")
              .formatted(
                  dataDir, TestDb.url(), Fixtures.path("models/fastestdet.onnx"), rtsp.url()));
      StopSignConfig config = ConfigLoader.load(file, null, Map.of(), new Properties());
      Service service =
          Service.start(config).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      boolean frozen = false;
      try {
        await(service, c -> "UP".equals(c.getString("status")), "cam1 UP");
        signal("STOP", rtsp.pid());
        frozen = true;
        long stopped = System.nanoTime();
        JsonObject down =
            await(
                service,
                c -> "DOWN".equals(c.getString("status")) && !reason(c).isEmpty(),
                "cam1 DOWN with a reason");
        long detect = System.nanoTime() - stopped;
        JsonObject timedOut =
            await(
                service,
                c -> reason(c).contains("read timeout") || reason(c).startsWith("no answer"),
                "cam1's read timeout");
        long readTimeout = System.nanoTime() - stopped;
        signal("CONT", rtsp.pid());
        frozen = false;
        long resumed = System.nanoTime();
        await(service, c -> "UP".equals(c.getString("status")), "cam1 UP again");
        System.out.printf(
            "frozen RTSP server: DOWN after %d ms ('%s'), read timeout after %d ms ('%s'),"
                + " UP %d ms after it resumed%n",
            TimeUnit.NANOSECONDS.toMillis(detect),
            reason(down),
            TimeUnit.NANOSECONDS.toMillis(readTimeout),
            reason(timedOut),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed));
        assertThat(reason(down)).isNotBlank().doesNotContain("Exception");
      } finally {
        if (frozen) {
          signal("CONT", rtsp.pid());
        }
        service.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      }
    }
  }

  private static String reason(JsonObject check) {
    return check.getJsonObject("data", new JsonObject()).getString("reason", "");
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static JsonObject await(Service service, Predicate<JsonObject> wanted, String what)
      throws Exception {
    return ReadyChecks.await(
        service.httpPort(), "camera.cam1", wanted, Duration.ofSeconds(120), what);
  }
}
