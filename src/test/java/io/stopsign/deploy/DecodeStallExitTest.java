package io.stopsign.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.LauncherJar;
import io.stopsign.testing.ServiceProcess;
import io.stopsign.testing.TestDb;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode stall watchdog against the built jar: the camera is a named pipe nobody writes to, so
 * the decode thread blocks inside FFmpeg's open(2), where FFmpeg's interrupt callback and its
 * timeouts cannot reach it. The process must exit with status 1 (for the orchestrator to restart
 * it) after storing its {@code decode_stall} event in Postgres (the test's embedded one), and the
 * restarted process decodes once the pipe has a writer.
 */
class DecodeStallExitTest {
  private static final Pattern STUCK = Pattern.compile("stuck inside FFmpeg for (\\d+) s");
  // the shared test database outlives this test: its camera's rows are its own
  private static final String CAMERA = "stall" + UUID.randomUUID().toString().substring(0, 8);
  @TempDir Path dir;
  private final List<ServiceProcess> processes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (ServiceProcess p : processes) {
      p.close();
    }
  }

  @Test
  @DisplayName(
      "decode stuck in a call FFmpeg cannot interrupt: the jar stores decode_stall/exit and exits 1"
          + " after stall_seconds; restarted with a writer, it decodes")
  void stuckDecodeExitsTheProcess() throws Exception {
    Path pipe = dir.resolve("cam1.mp4");
    Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();
    Path jar = dir.resolve("stopsign.jar");
    LauncherJar.write(jar);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("stopsign.yaml");
    Files.writeString(
        config,
        ("http: {port: %d}\ndata_dir: %s\nroles: [analyzer, persist]\ndb: {url: \"%s\"}\n"
                + "model: {path: %s, family: fastestdet}\n"
                + "watchdog: {open_timeout_seconds: 1, read_timeout_seconds: 1, stall_seconds: 3}\n"
                + "cameras:\n  - id: %s\n    source: %s\n")
            .formatted(
                port,
                dir.resolve("data"),
                TestDb.url(),
                Fixtures.path("models/fastestdet.onnx"),
                CAMERA,
                pipe));

    long started = System.nanoTime();
    ServiceProcess stuckService = start(jar, config, "stuck.log");
    Process stuck = stuckService.process();
    long fired = 0;
    while (stuck.isAlive() && System.nanoTime() - started < TimeUnit.MINUTES.toNanos(3)) {
      if (fired == 0 && STUCK.matcher(stuckService.log()).find()) {
        fired = System.nanoTime();
      }
      Thread.sleep(100);
    }
    assertThat(stuck.waitFor(30, TimeUnit.SECONDS)).as("the process exited").isTrue();
    long exited = System.nanoTime();
    String tail = stuckService.tail(30);
    assertThat(stuck.exitValue()).as("exit status; log:\n" + tail).isEqualTo(1);
    Matcher stall = STUCK.matcher(stuckService.log());
    assertThat(stall.find()).as("the watchdog's log line:\n" + tail).isTrue();
    fired = fired == 0 ? exited : fired;
    assertThat(
            TestDb.rows(
                "SELECT payload->>'action', payload->>'reason' FROM events WHERE camera = ?"
                    + " AND kind = 'watchdog' AND payload->>'watchdog' = 'decode_stall'",
                CAMERA))
        .as("the decode_stall event stored before the exit")
        .containsExactly(
            List.of("exit", "decode stuck inside FFmpeg for " + stall.group(1) + " s"));

    // the orchestrator restarts it; this time a camera process writes into the pipe
    Thread writer = new Thread(() -> feed(pipe), "pipe-writer");
    writer.setDaemon(true);
    writer.start();
    long restarted = System.nanoTime();
    JsonObject up =
        start(jar, config, "second.log")
            .await(port, "/ready", Duration.ofMinutes(2), DecodeStallExitTest::cameraUp);
    long recovered = System.nanoTime();
    System.out.printf(
        "stuck decode: watchdog fired after %s s inside FFmpeg (stall limit 3 s, %.1f s after the"
            + " jar started), process exited 1 %.1f s after that (shutdown hooks, then halt);"
            + " restarted, camera UP %.1f s after the restart (%s)%n",
        stall.group(1),
        (fired - started) / 1e9,
        (exited - fired) / 1e9,
        (recovered - restarted) / 1e9,
        up.getJsonObject("data").getString("state"));
    assertThat(Integer.parseInt(stall.group(1))).isGreaterThanOrEqualTo(3);
  }

  /** Writes a moov-first MP4 into the pipe, as a camera process would (it blocks until read). */
  private static void feed(Path pipe) {
    try (OutputStream out = Files.newOutputStream(pipe)) {
      Files.copy(Fixtures.path("media/highway-720p.mp4"), out);
    } catch (IOException e) {
      // the reader went away: the test is over
    }
  }

  private ServiceProcess start(Path jar, Path config, String log) throws IOException {
    ServiceProcess p = ServiceProcess.start(jar, dir, config, log);
    processes.add(p);
    return p;
  }

  /** The camera's check in a /ready answer once it is UP, else null. */
  private static JsonObject cameraUp(HttpResponse<String> ready) {
    try {
      for (Object c : new JsonObject(ready.body()).getJsonArray("checks")) {
        JsonObject check = (JsonObject) c;
        if (("camera." + CAMERA).equals(check.getString("id"))
            && "UP".equals(check.getString("status"))) {
          return check;
        }
      }
    } catch (RuntimeException e) {
      // not the service's JSON yet
    }
    return null;
  }
}
