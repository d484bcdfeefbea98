package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.Sample;
import io.stopsign.codec.Codecs;
import io.stopsign.media.SnapshotRequest;
import io.stopsign.ops.Meters;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pass path of the real tracking verticle: detections in, then the snapshot request to decode,
 * the live publication and the request/reply to persistence (both stood in for by bus consumers
 * that answer as decode and persist do).
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Pass delivery from the tracking verticle")
class PassDeliveryTest {
  private static final String CAM = "camjudge";

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName(
      "A full stop gives a snapshot at the capture line, a live pass, and persistence retried until it acknowledges")
  void fullStopDelivered(Vertx vertx, VertxTestContext ctx) {
    Codecs.register(vertx.eventBus());
    List<JsonObject> snapshotRequests = new CopyOnWriteArrayList<>();
    List<JsonObject> stored = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    Promise<JsonObject> live = Promise.promise();
    Promise<Void> acknowledged = Promise.promise();
    vertx
        .eventBus()
        .<SnapshotRequest>consumer(
            Addresses.snapshots(CAM),
            m -> {
              snapshotRequests.add(m.body().toJson());
              m.reply(new JsonObject().put("path", m.body().path()));
            });
    vertx
        .eventBus()
        .<PassEvent>consumer(
            Addresses.PASSES,
            m -> {
              if (attempts.incrementAndGet() <= 2) {
                m.fail(
                    500,
                    "not stored: database down"); // persistence answers like this while the DB is
                // down
                return;
              }
              stored.add(m.body().toJson()); // the record; JSON only when it crosses JVMs
              m.reply(
                  new JsonObject().put("id", m.body().id().toString()).put("stored", "written"));
              acknowledged.tryComplete();
            });
    vertx
        .eventBus()
        .<PassEvent>consumer(Addresses.PASSES_LIVE, m -> live.tryComplete(m.body().toJson()));
    double before = passesCounted("full");
    List<Sample> samples = ScenarioTest.fullStop().samples();
    String run = UUID.randomUUID().toString();
    vertx
        .deployVerticle(new TrackingVerticle(CAM, JudgeHarness.scene(), 4096))
        .onComplete(ctx.succeeding(id -> TrackerFeed.send(vertx, CAM, run, samples)));
    io.vertx.core.Future.all(live.future(), acknowledged.future())
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          JsonObject pass = live.future().result();
                          assertThat(pass.getString("type")).isEqualTo("pass");
                          assertThat(pass.getString("camera")).isEqualTo(CAM);
                          assertThat(pass.getString("run_id")).isEqualTo(run);
                          assertThat(pass.getString("verdict")).isEqualTo("full");
                          assertThat(snapshotRequests).hasSize(1);
                          JsonObject snapshot = snapshotRequests.get(0);
                          long seq = snapshot.getLong("seq");
                          assertThat(samples.get((int) seq).groundY())
                              .as("frame at the capture line")
                              .isBetween(440.0, 460.0);
                          assertThat(pass.getString("snapshot"))
                              .isEqualTo(snapshot.getString("path"));
                          assertThat(pass.getString("snapshot_url"))
                              .isEqualTo("/api/passes/" + pass.getString("id") + "/snapshot");
                          assertThat(attempts.get()).isEqualTo(3);
                          assertThat(stored).hasSize(1);
                          assertThat(stored.get(0)).isEqualTo(pass);
                          assertThat(PassEvent.fromJson(stored.get(0)).trajectory()).isNotEmpty();
                          assertThat(passesCounted("full") - before).isEqualTo(1);
                          ctx.completeNow();
                        })));
  }

  private static double passesCounted(String verdict) {
    var counter =
        Meters.registry()
            .find("stopsign_passes_total")
            .tags("camera", CAM, "verdict", verdict)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName(
      "New zones come in on the camera-config address; a bad one is refused with the key and 400")
  void reconfigureOverTheBus(Vertx vertx, VertxTestContext ctx) {
    Codecs.register(vertx.eventBus());
    JsonObject good = JudgeHarness.scene().toJson().put("id", CAM).put("source", "testpattern");
    JsonObject bad =
        new JsonObject()
            .put(
                "stop_zone", new io.vertx.core.json.JsonArray("[[0,0],[100,100],[100,0],[0,100]]"));
    vertx
        .deployVerticle(new TrackingVerticle(CAM, JudgeHarness.scene(), 64))
        .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.cameraConfig(CAM), good))
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          assertThat(reply.body().getBoolean("applied")).isTrue();
                          assertThat(reply.body().getString("speed_unit")).isEqualTo("px/s");
                        })))
        .compose(ok -> vertx.eventBus().request(Addresses.cameraConfig(CAM), bad))
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertThat(e).isInstanceOf(ReplyException.class);
                          assertThat(((ReplyException) e).failureCode()).isEqualTo(400);
                          assertThat(e.getMessage())
                              .contains("stop_zone")
                              .contains("self-intersecting");
                          ctx.completeNow();
                        })));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName(
      "With persistence gone, passes wait in memory up to the bound; the oldest beyond it is given up")
  void boundedPending(Vertx vertx, VertxTestContext ctx) {
    Codecs.register(vertx.eventBus());
    PassPublisher publisher = new PassPublisher(vertx, "camfull");
    PassEvent pass =
        JudgeHarness.live(JudgeHarness.scene(), ScenarioTest.noStop().samples())
            .of(1L)
            .get(0)
            .pass();
    vertx.runOnContext(
        v -> {
          for (int i = 0; i <= PassPublisher.MAX_PENDING; i++) {
            PassEvent copy =
                new PassEvent(
                    UUID.randomUUID(),
                    pass.camera(),
                    pass.runId(),
                    i,
                    pass.tsUtc(),
                    pass.entryTsUtc(),
                    pass.verdict(),
                    pass.timeInZone(),
                    pass.stopDuration(),
                    pass.minSpeed(),
                    pass.entrySpeed(),
                    pass.speedUnit(),
                    pass.reason(),
                    pass.trajectory(),
                    null);
            publisher.publish(new CameraJudge.CompletedPass(copy, 0, false));
          }
          vertx.setTimer(
              300,
              t ->
                  ctx.verify(
                      () -> {
                        assertThat(publisher.pending()).isEqualTo(PassPublisher.MAX_PENDING);
                        assertThat(
                                Meters.registry()
                                    .find("stopsign_passes_dropped_total")
                                    .tags("camera", "camfull")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                        publisher
                            .close(200)
                            .onComplete(
                                ctx.succeeding(
                                    lost ->
                                        ctx.verify(
                                            () -> {
                                              assertThat(lost).isEqualTo(PassPublisher.MAX_PENDING);
                                              ctx.completeNow();
                                            })));
                      }));
        });
  }
}
