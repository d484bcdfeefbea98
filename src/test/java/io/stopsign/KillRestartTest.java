package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.RtspServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service killed with SIGKILL (an OOM kill) and started again at once, as real processes on
 * embedded Postgres: the postmaster the dead JVM left running must not block the next start.
 */
class KillRestartTest {
  @TempDir Path dir;
  private final List<Process> services = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopEverything() throws Exception {
    for (Process service : services) {
      service.destroy();
      if (!service.waitFor(60, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
    postmaster().ifPresent(ProcessHandle::destroy); // in case the last service could not stop it
  }

  @Test
  @DisplayName(
      "after kill -9 the service starts at the first try on the same embedded Postgres folder, every stored event still there")
  void restartsAfterSigkill() throws Exception {
    int port = RtspServer.freePort();
    Path config = dir.resolve("stopsign.yaml");
    Files.writeString(
        config,
        ("http: {port: %d}\ndata_dir: %s\nmodel: {path: %s, family: fastestdet}\n"
                + "cameras:\n  - id: cam1\n    source: testpattern?size=320x240&rate=5\n")
            .formatted(port, dir.resolve("data"), Fixtures.path("models/fastestdet.onnx")));

    Process first = start(config, "first.log");
    awaitHealthy(first, port, "first.log");
    Set<String> stored = awaitStoredEvents();
    ProcessHandle orphan = postmaster().orElseThrow();

    first.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(orphan.isAlive()).as("the dead service's postmaster is still running").isTrue();

    long restarted = System.nanoTime();
    Process second = start(config, "second.log");
    awaitHealthy(second, port, "second.log");
    System.out.printf(
        "restart after SIGKILL: healthy in %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
    assertThat(orphan.isAlive()).as("the orphaned postmaster was stopped").isFalse();
    assertThat(Files.readString(dir.resolve("second.log"))).doesNotContain("did not start");
    assertThat(eventIds()).containsAll(stored);
    assertThat(setting("fsync")).as("a power cut must not lose acknowledged rows").isEqualTo("on");
    assertThat(setting("synchronous_commit")).isEqualTo("on");
  }

  private String setting(String name) throws Exception {
    try (Connection c = connect();
        ResultSet row = c.createStatement().executeQuery("SHOW " + name)) {
      row.next();
      return row.getString(1);
    }
  }

  private Connection connect() throws Exception {
    List<String> pid = Files.readAllLines(dir.resolve("data/pg/postmaster.pid"));
    String url = "jdbc:postgresql://localhost:" + pid.get(3).strip() + "/postgres";
    return DriverManager.getConnection(url, "postgres", "postgres");
  }

  private Process start(Path config, String log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of("run", "--config", config.toString()));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile())
            .start();
    services.add(process);
    return process;
  }

  private void awaitHealthy(Process service, int port, String log) throws Exception {
    HttpRequest healthz =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(5))
            .build();
    for (int i = 0; i < 480; i++) {
      if (!service.isAlive()) {
        throw new AssertionError(
            "service exited with " + service.exitValue() + ":\n" + tail(dir.resolve(log)));
      }
      try {
        if (http.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("service never became healthy:\n" + tail(dir.resolve(log)));
  }

  /** Waits for the camera's source_state events to be committed (the persist verticle acked). */
  private Set<String> awaitStoredEvents() throws Exception {
    for (int i = 0; i < 240; i++) {
      Set<String> ids = eventIds();
      if (!ids.isEmpty()) {
        return ids;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no source_state events stored: " + eventIds());
  }

  private Set<String> eventIds() throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = connect();
        ResultSet rows =
            c.createStatement()
                .executeQuery(
                    "SELECT id FROM events WHERE kind = 'source_state' AND camera = 'cam1'")) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    } catch (SQLException e) {
      // schema not migrated yet: nothing stored so far
    }
    return ids;
  }

  private Optional<ProcessHandle> postmaster() {
    try {
      String pid = Files.readAllLines(dir.resolve("data/pg/postmaster.pid")).get(0).strip();
      return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
