package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.LauncherJar;
import io.stopsign.testing.RtspServer;
import io.stopsign.testing.ServiceProcess;
import java.io.IOException;
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
  private final List<ServiceProcess> services = new ArrayList<>();
  private int port;

  @AfterEach
  void stopEverything() throws Exception {
    for (ServiceProcess service : services) {
      service.close();
    }
    postmaster().ifPresent(ProcessHandle::destroy); // in case the last service could not stop it
  }

  @Test
  @DisplayName(
      "after kill -9 the service starts at the first try on the same embedded Postgres folder, every stored event still there")
  void restartsAfterSigkill() throws Exception {
    port = RtspServer.freePort();
    Path config = dir.resolve("stopsign.yaml");
    Files.writeString(
        config,
        ("http: {port: %d}\ndata_dir: %s\nmodel: {path: %s, family: fastestdet}\n"
                + "cameras:\n  - id: cam1\n    source: testpattern?size=320x240&rate=5\n")
            .formatted(port, dir.resolve("data"), Fixtures.path("models/fastestdet.onnx")));

    Path jar = dir.resolve("stopsign.jar");
    LauncherJar.write(jar);
    Process first = start(jar, config, "first.log").process();
    Set<String> stored = awaitStoredEvents();
    ProcessHandle orphan = postmaster().orElseThrow();

    first.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(orphan.isAlive()).as("the dead service's postmaster is still running").isTrue();

    long restarted = System.nanoTime();
    start(jar, config, "second.log");
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

  /** Starts the service from the jar and waits until /healthz answers 200. */
  private ServiceProcess start(Path jar, Path config, String log) throws Exception {
    ServiceProcess service = ServiceProcess.start(jar, dir, config, log);
    services.add(service);
    service.await(port, "/healthz", Duration.ofMinutes(2), r -> r.statusCode() == 200 ? r : null);
    return service;
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
}
