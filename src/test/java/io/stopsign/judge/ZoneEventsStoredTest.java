package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.Sample;
import io.stopsign.codec.Codecs;
import io.stopsign.media.SnapshotRequest;
import io.stopsign.ops.EventMeters;
import io.stopsign.ops.Meters;
import io.stopsign.testing.TestDb;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
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
    TrackerFeed.send(vertx, camera, run, samples);
    return run;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName(
      "a full stop stores one zone_entry and one zone_exit of its track, at capture time, beside its pass")
  void storedBesideThePass(Vertx vertx) throws Exception {
    String camera = "zev" + UUID.randomUUID().toString().substring(0, 8);
    Codecs.register(vertx.eventBus());
    TestDb.deployPersist(
        vertx,
        dataDir,
        new CameraConfig(camera, "rtsp://127.0.0.1:9/x", false, JudgeHarness.scene()));
    String run = driveFullStop(vertx, camera);
    List<List<String>> rows = List.of();
    String events =
        "SELECT kind, track_id::text, payload->>'how', payload->>'run_id',"
            + " extract(epoch FROM ts_utc)::text FROM events WHERE camera = ? ORDER BY ts_utc";
    String passes = "SELECT track_id::text, verdict FROM passes WHERE camera = ?";
    while (rows.size() < 2 || TestDb.rows(passes, camera).isEmpty()) {
      Thread.sleep(100);
      rows = TestDb.rows(events, camera);
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
    assertThat(TestDb.rows(passes, camera)).containsExactly(List.of(track, "full"));
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
}
