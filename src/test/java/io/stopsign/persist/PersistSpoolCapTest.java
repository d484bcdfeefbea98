package io.stopsign.persist;

import static io.stopsign.persist.PersistFixtures.T0;
import static io.stopsign.persist.PersistFixtures.await;
import static io.stopsign.persist.PersistFixtures.camera;
import static io.stopsign.persist.PersistFixtures.eventually;
import static io.stopsign.persist.PersistFixtures.frame;
import static io.stopsign.persist.PersistFixtures.pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.stopsign.bus.Addresses;
import io.stopsign.codec.Codecs;
import io.stopsign.ops.Meters;
import io.stopsign.testing.HealthReports;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The database is unreachable from the start, so everything goes to a 1 MB spool. */
@ExtendWith(VertxExtension.class)
class PersistSpoolCapTest {
  private static final String CAM = "capped";

  @TempDir Path dir;

  private static double shedDetections() {
    Counter c = Meters.registry().find("stopsign_spool_shed").tag("kind", "detections").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @DisplayName(
      "at the spool cap detections are shed and counted first, then passes are refused with 503"
          + " and readiness goes DOWN; every acknowledged pass is in the spool, none is lost silently")
  void capShedsDetectionsThenRefusesPasses(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DbConfig config =
        new DbConfig(
            "postgresql://postgres:postgres@127.0.0.1:" + closedPort + "/postgres",
            "",
            "",
            2,
            1000,
            50,
            1,
            0);
    Codecs.register(vertx.eventBus());
    PersistVerticle verticle =
        new PersistVerticle(
            Database.start(config, dir), config, dir, List.of(camera(CAM)), 1000, "test");
    await(vertx.deployVerticle(verticle));
    JsonObject start = HealthReports.asCheck(HealthReports.next(vertx, "db"));
    assertThat(start.getString("status")).isEqualTo("UP");
    assertThat(start.getJsonObject("data").getString("status")).isEqualTo("degraded");
    // /ready is open to probes: the database error names its kind, never host or port
    assertThat(start.getJsonObject("data").getString("reason"))
        .startsWith("database unreachable (")
        .doesNotContain("127.0.0.1")
        .doesNotContain(String.valueOf(closedPort));

    double shedBefore = shedDetections();
    String run = UUID.randomUUID().toString();
    long frame = 0;
    Path spool = dir.resolve("spool/persist.spool");
    while (shedDetections() == shedBefore && frame < 20_000) {
      for (int i = 0; i < 50; i++, frame++) {
        vertx
            .eventBus()
            .publish(Addresses.metadata(CAM), frame(CAM, run, frame, T0 + frame / 30.0, 20));
      }
      Thread.sleep(60);
    }
    assertThat(shedDetections()).isGreaterThan(shedBefore);
    long detectionsOnly = Files.size(spool);
    assertThat(detectionsOnly).isLessThanOrEqualTo((long) (0.8 * config.spoolMaxBytes()));

    JsonArray trajectory = new JsonArray();
    for (int i = 0; i < 300; i++) {
      trajectory.add(
          new JsonArray().add(T0 + i / 30.0).add(100.5 + i).add(200.5).add(300.5 + i).add(400.5));
    }
    List<String> acknowledged = new ArrayList<>();
    ReplyException refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      JsonObject pass = pass(CAM, run, i, T0 + i).put("trajectory", trajectory);
      try {
        JsonObject reply =
            await(vertx.eventBus().<JsonObject>request(Addresses.PASSES, pass)).body();
        assertThat(reply.getString("stored")).isEqualTo("spooled");
        acknowledged.add(pass.getString("id"));
      } catch (IllegalStateException e) {
        refused = (ReplyException) e.getCause();
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.failureCode()).isEqualTo(503);
    assertThat(refused.getMessage()).contains("spool full");
    assertThat(acknowledged).isNotEmpty();

    // Detections still arriving are shed, not written into the room left for passes.
    double shedMid = shedDetections();
    for (int i = 0; i < 100; i++, frame++) {
      vertx
          .eventBus()
          .publish(Addresses.metadata(CAM), frame(CAM, run, frame, T0 + frame / 30.0, 20));
    }
    eventually(5_000, "more detections shed", () -> shedDetections() > shedMid);

    JsonObject full = HealthReports.asCheck(HealthReports.next(vertx, "db"));
    assertThat(full.getString("status")).isEqualTo("DOWN");
    assertThat(full.getJsonObject("data").getString("status")).isEqualTo("spool_full");
    assertThat(Files.size(spool)).isLessThanOrEqualTo(config.spoolMaxBytes());

    List<String> spooledPasses =
        Files.readAllLines(spool).stream()
            .map(JsonObject::new)
            .filter(line -> line.getString("kind").equals("pass"))
            .map(line -> line.getJsonObject("data").getString("id"))
            .toList();
    assertThat(spooledPasses).containsExactlyElementsOf(acknowledged);
  }
}
