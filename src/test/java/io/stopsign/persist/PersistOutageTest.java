package io.stopsign.persist;

import static io.stopsign.persist.PersistFixtures.T0;
import static io.stopsign.persist.PersistFixtures.await;
import static io.stopsign.persist.PersistFixtures.camera;
import static io.stopsign.persist.PersistFixtures.count;
import static io.stopsign.persist.PersistFixtures.event;
import static io.stopsign.persist.PersistFixtures.eventually;
import static io.stopsign.persist.PersistFixtures.frame;
import static io.stopsign.persist.PersistFixtures.pass;
import static io.stopsign.persist.PersistFixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.codec.Codecs;
import io.stopsign.testing.HealthReports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A dedicated Postgres on a fixed port, stopped and restarted under the writer's feet. */
@ExtendWith(VertxExtension.class)
class PersistOutageTest {
  private static final String CAM = "outage";

  @TempDir Path dir;

  private EmbeddedPostgres pg;
  private int port;
  private final String run = UUID.randomUUID().toString();
  private final List<String> passIds = new ArrayList<>();
  private final List<String> eventIds = new ArrayList<>();
  private final List<String> stored = new ArrayList<>();
  private int frames;

  private EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("pg"))
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  @AfterEach
  void stopPostgres() throws IOException {
    if (pg != null) {
      pg.close();
    }
  }

  /** Sends one pass and one event, each acknowledged before the next, plus a frame of metadata. */
  private void send(Vertx vertx, int i) {
    JsonObject pass = pass(CAM, run, i, T0 + 10 * i);
    JsonObject event = event(CAM, T0 + 10 * i + 1, "zone_exit");
    passIds.add(pass.getString("id"));
    eventIds.add(event.getString("id"));
    stored.add(
        await(vertx.eventBus().<JsonObject>request(Addresses.PASSES, pass))
            .body()
            .getString("stored"));
    stored.add(
        await(vertx.eventBus().<JsonObject>request(Addresses.EVENTS, event))
            .body()
            .getString("stored"));
    vertx.eventBus().publish(Addresses.metadata(CAM), frame(CAM, run, frames, T0 + frames, 2));
    frames++;
  }

  private static JsonObject dbCheck(Vertx vertx) {
    return HealthReports.asCheck(HealthReports.next(vertx, "db"));
  }

  @Test
  @DisplayName(
      "Postgres stopped and restarted under load: every pass and event sent before, during and after"
          + " is stored exactly once in order of arrival, and readiness said degraded meanwhile")
  void survivesOutage(Vertx vertx) throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    pg = startPostgres();
    DbConfig config =
        new DbConfig(
            "postgresql://postgres:postgres@localhost:" + port + "/postgres",
            "",
            "",
            2,
            1000,
            100,
            64,
            0);
    Database db = Database.start(config, dir);
    Codecs.register(vertx.eventBus());
    await(
        vertx.deployVerticle(
            new PersistVerticle(
                db, config, dir.resolve("data"), List.of(camera(CAM)), 64, "test")));
    assertThat(dbCheck(vertx).getJsonObject("data").getString("status")).isEqualTo("ok");

    for (int i = 0; i < 10; i++) {
      send(vertx, i);
    }
    assertThat(stored).containsOnly("written");

    pg.close();
    pg = null;
    stored.clear();
    for (int i = 10; i < 30; i++) {
      send(vertx, i);
    }
    assertThat(stored).containsOnly("spooled");
    JsonObject during = dbCheck(vertx);
    assertThat(during.getString("status")).isEqualTo("UP");
    assertThat(during.getJsonObject("data").getString("status")).isEqualTo("degraded");
    assertThat(during.getJsonObject("data").getLong("spool_bytes")).isPositive();

    pg = startPostgres();
    for (int i = 30; i < 40; i++) {
      send(vertx, i);
    }
    eventually(
        30_000,
        "the spool replayed and the writer online",
        () -> "ok".equals(dbCheck(vertx).getJsonObject("data").getString("status")));
    eventually(
        5_000,
        "every detection row",
        () ->
            count(db, "SELECT count(*) FROM detections WHERE camera = '" + CAM + "'")
                == 2L * frames);

    assertThat(
            strings(db, "SELECT id FROM passes WHERE camera = '" + CAM + "' ORDER BY ingest_seq"))
        .containsExactlyElementsOf(passIds);
    assertThat(
            strings(db, "SELECT id FROM events WHERE camera = '" + CAM + "' ORDER BY ingest_seq"))
        .containsExactlyElementsOf(eventIds);
    assertThat(
            strings(
                db,
                "SELECT track_id || ':' || frames FROM tracks WHERE camera = '"
                    + CAM
                    + "' ORDER BY track_id"))
        .containsExactly("1:40", "2:40");
    assertThat(dir.resolve("data/spool/persist.spool")).isEmptyFile();
  }
}
