package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.Sample;
import io.stopsign.codec.Codecs;
import io.stopsign.inference.Detection;
import io.stopsign.inference.Detections;
import io.stopsign.media.SnapshotRequest;
import io.stopsign.ops.EventMeters;
import io.stopsign.ops.Meters;
import io.stopsign.persist.DbConfig;
import io.stopsign.persist.PersistVerticle;
import io.stopsign.testing.TestDb;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zone entries and exits from the real tracking verticle into the real persistence verticle and
 * embedded Postgres; and counted as unstored when no persistence acknowledges them.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Zone events through tracking into Postgres")
class ZoneEventsStoredTest {
  @TempDir Path dataDir;

  private static Detections frame(String camera, String run, long seq, Sample s) {
    List<Detection> items =
        s == null
            ? List.of()
            : List.of(
                new Detection(
                    2,
                    "car",
                    0.9f,
                    (float) s.x1(),
                    (float) s.y1(),
                    (float) s.x2(),
                    (float) s.y2()));
    double t = s == null ? TrajectorySimulator.T0 + 60 + seq / 30.0 : s.t();
    return new Detections(camera, run, seq, t, 1280, 720, 352, 352, items, 1_000_000);
  }

  /** Deploys tracking (and decode's snapshot answer) and drives one full stop through it. */
  private static String driveFullStop(Vertx vertx, String camera) throws Exception {
    vertx
        .eventBus()
        .<SnapshotRequest>consumer(
            Addresses.snapshots(camera),
            m -> m.reply(new JsonObject().put("path", m.body().path())));
    vertx
        .deployVerticle(new TrackingVerticle(camera, JudgeHarness.scene(), 4096))
        .await(30, TimeUnit.SECONDS);
    List<Sample> samples = ScenarioTest.fullStop().samples();
    String run = UUID.randomUUID().toString();
    for (int i = 0; i < samples.size(); i++) {
      vertx.eventBus().send(Addresses.detections(camera), frame(camera, run, i, samples.get(i)));
    }
    for (int i = samples.size(); i < samples.size() + 60; i++) {
      vertx.eventBus().send(Addresses.detections(camera), frame(camera, run, i, null));
    }
    return run;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName(
      "a full stop stores one zone_entry and one zone_exit of its track, at capture time, beside its pass")
  void storedBesideThePass(Vertx vertx) throws Exception {
    String camera = "zev" + UUID.randomUUID().toString().substring(0, 8);
    Codecs.register(vertx.eventBus());
    vertx
        .deployVerticle(
            new PersistVerticle(
                TestDb.get(),
                new DbConfig("", "", "", 4, 1000, 100, 16, 0),
                dataDir,
                List.of(
                    new CameraConfig(camera, "rtsp://127.0.0.1:9/x", false, JudgeHarness.scene())),
                64,
                "test"))
        .await(60, TimeUnit.SECONDS);
    String run = driveFullStop(vertx, camera);
    List<List<String>> rows = List.of();
    String events =
        "SELECT kind, track_id::text, payload->>'how', payload->>'run_id',"
            + " extract(epoch FROM ts_utc)::text FROM events WHERE camera = ? ORDER BY ts_utc";
    String passes = "SELECT track_id::text, verdict FROM passes WHERE camera = ?";
    while (rows.size() < 2 || query(passes, camera).isEmpty()) {
      Thread.sleep(100);
      rows = query(events, camera);
    }
    assertThat(rows).hasSize(2);
    String track = rows.get(0).get(1);
    assertThat(rows)
        .extracting(r -> r.subList(0, 4))
        .containsExactly(
            List.of("zone_entry", track, "debounced", run),
            List.of("zone_exit", track, "debounced", run));
    double entry = Double.parseDouble(rows.get(0).get(4));
    double exit = Double.parseDouble(rows.get(1).get(4));
    assertThat(entry).isBetween(TrajectorySimulator.T0, exit);
    assertThat(query(passes, camera)).containsExactly(List.of(track, "full"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName(
      "with no persistence to acknowledge them, zone events are retried, then counted unstored")
  void unstoredCounted(Vertx vertx) throws Exception {
    String camera = "zun" + UUID.randomUUID().toString().substring(0, 8);
    Codecs.register(vertx.eventBus());
    driveFullStop(vertx, camera);
    while (unstored(camera, "zone_exit") < 1) {
      Thread.sleep(100);
    }
    assertThat(unstored(camera, "zone_entry")).isEqualTo(1);
    assertThat(unstored(camera, "zone_exit")).isEqualTo(1);
  }

  private static double unstored(String camera, String kind) {
    var counter =
        Meters.registry().find(EventMeters.UNSTORED).tags("camera", camera, "kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<List<String>> query(String sql, String camera) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(TestDb.get().jdbcUrl(), "postgres", "postgres");
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, camera);
      try (ResultSet r = s.executeQuery()) {
        int columns = r.getMetaData().getColumnCount();
        while (r.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            row.add(r.getString(i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }
}
