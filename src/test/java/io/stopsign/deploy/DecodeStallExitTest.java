package io.stopsign.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * it), and the restarted process decodes once the pipe has a writer.
 */
class DecodeStallExitTest {
  private static final Pattern STUCK = Pattern.compile("stuck inside FFmpeg for (\\d+) s");
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName(
      "decode stuck in a call FFmpeg cannot interrupt: the jar exits 1 after stall_seconds; restarted with a writer, it decodes")
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
        ("http: {port: %d}\ndata_dir: %s\nroles: [analyzer]\n"
                + "model: {path: %s, family: fastestdet}\n"
                + "watchdog: {open_timeout_seconds: 1, read_timeout_seconds: 1, stall_seconds: 3}\n"
                + "cameras:\n  - id: cam1\n    source: %s\n")
            .formatted(port, dir.resolve("data"), Fixtures.path("models/fastestdet.onnx"), pipe));

    long started = System.nanoTime();
    Process stuck = start(jar, config, "stuck.log");
    long fired = 0;
    while (stuck.isAlive() && System.nanoTime() - started < TimeUnit.MINUTES.toNanos(3)) {
      if (fired == 0 && STUCK.matcher(Files.readString(dir.resolve("stuck.log"))).find()) {
        fired = System.nanoTime();
      }
      Thread.sleep(100);
    }
    assertThat(stuck.waitFor(30, TimeUnit.SECONDS)).as("the process exited").isTrue();
    long exited = System.nanoTime();
    String log = Files.readString(dir.resolve("stuck.log"));
    assertThat(stuck.exitValue()).as("exit status; log:\n" + tail(log)).isEqualTo(1);
    Matcher stall = STUCK.matcher(log);
    assertThat(stall.find()).as("the watchdog's log line:\n" + tail(log)).isTrue();
    fired = fired == 0 ? exited : fired;

    // the orchestrator restarts it; this time a camera process writes into the pipe
    Thread writer = new Thread(() -> feed(pipe), "pipe-writer");
    writer.setDaemon(true);
    writer.start();
    long restarted = System.nanoTime();
    Process second = start(jar, config, "second.log");
    JsonObject up = awaitCameraUp(second, port, dir.resolve("second.log"));
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

  private Process start(Path jar, Path config, String log) throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx320m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toString(),
            "run",
            "--config",
            config.toString());
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile())
            .start();
    processes.add(p);
    return p;
  }

  private JsonObject awaitCameraUp(Process service, int port, Path log) throws Exception {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    JsonObject last = null;
    for (int i = 0; i < 1200; i++) {
      if (!service.isAlive()) {
        throw new AssertionError(
            "restarted service exited with "
                + service.exitValue()
                + ":\n"
                + tail(Files.readString(log)));
      }
      try {
        HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
        for (Object c : new JsonObject(r.body()).getJsonArray("checks")) {
          JsonObject check = (JsonObject) c;
          if ("camera.cam1".equals(check.getString("id"))) {
            last = check;
            if ("UP".equals(check.getString("status"))) {
              return check;
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "camera never UP after the restart; last " + last + "\n" + tail(Files.readString(log)));
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
