package io.stopsign.tracking;

import static io.stopsign.tracking.Traffic.car;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopsign.bus.Addresses;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.inference.Detection;
import io.stopsign.inference.Detections;
import io.stopsign.judge.TrackState;
import io.stopsign.ops.Meters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TrackingVerticleTest {
  private static final String CAMERA = "camtrack";
  private static final List<double[]> ZONE =
      List.of(
          new double[] {500, 400},
          new double[] {800, 400},
          new double[] {800, 600},
          new double[] {500, 600});

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    Codecs.register(vertx.eventBus());
    JudgeConfig judge = new JudgeConfig(ZONE, List.of(), List.of());
    vertx
        .deployVerticle(new TrackingVerticle(CAMERA, judge, 64))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName(
      "Detections on the bus give one seed-schema FrameMetadata per frame, ids kept across frames")
  void publishesMetadata(Vertx vertx, VertxTestContext ctx) {
    String run = UUID.randomUUID().toString();
    collect(
            vertx,
            11,
            () -> {
              for (int f = 0; f < 10; f++) {
                send(vertx, detections(run, f, car(300 + 5 * f, 450, 160, 90, 0.9)));
              }
              send(vertx, detections(run, 10));
            })
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got)
                              .extracting(FrameMetadata::frame)
                              .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
                          assertThat(got.get(0).tracks()).as("not yet confirmed").isEmpty();
                          for (int f = 1; f < 10; f++) {
                            assertThat(got.get(f).tracks())
                                .extracting(TrackState::id)
                                .containsExactly(1L);
                          }
                          assertThat(got.get(10).tracks())
                              .as("an empty frame is still published")
                              .isEmpty();

                          JsonObject json = got.get(5).toJson();
                          assertThat(json.fieldNames())
                              .contains(
                                  "ts_utc",
                                  "frame",
                                  "camera",
                                  "run_id",
                                  "tracks",
                                  "zones",
                                  "raw_dimensions",
                                  "scaled_dimensions",
                                  "speed_unit");
                          assertThat(json.getDouble("ts_utc"))
                              .isEqualTo(Math.round(Traffic.ts(5) * 1000) / 1000.0);
                          assertThat(json.getLong("frame")).isEqualTo(5L);
                          assertThat(json.getString("camera")).isEqualTo(CAMERA);
                          assertThat(json.getString("run_id")).isEqualTo(run);
                          assertThat(json.getString("speed_unit")).isEqualTo("px/s");
                          assertThat(json.getJsonObject("raw_dimensions"))
                              .isEqualTo(new JsonObject().put("w", 1280).put("h", 720));
                          assertThat(json.getJsonObject("scaled_dimensions"))
                              .isEqualTo(new JsonObject().put("w", 352).put("h", 352));
                          assertThat(json.getJsonObject("zones").getJsonArray("stop"))
                              .isEqualTo(
                                  new JsonArray(
                                      "[[500.0,400.0],[800.0,400.0],[800.0,600.0],[500.0,600.0]]"));
                          JsonObject track = json.getJsonArray("tracks").getJsonObject(0);
                          assertThat(track.fieldNames())
                              .containsExactlyInAnyOrder(
                                  "id",
                                  "bbox",
                                  "cls",
                                  "score",
                                  "speed",
                                  "direction",
                                  "is_parked",
                                  "in_zone");
                          assertThat(track.getLong("id")).isEqualTo(1L);
                          assertThat(track.getString("cls")).isEqualTo("car");
                          assertThat(track.getJsonArray("bbox")).hasSize(4);
                          assertThat(track.getJsonArray("bbox").getDouble(0))
                              .isCloseTo(300 + 25 - 80, org.assertj.core.data.Offset.offset(3.0));
                          assertThat(track.getValue("speed"))
                              .as("0.13 s into the track its speed is not known yet")
                              .isNull();
                          assertThat(got.get(9).tracks().get(0).speed())
                              .as("~150 px/s moving right, once known")
                              .isBetween(50.0, 300.0);
                          assertThat(FrameMetadata.fromJson(json).toJson())
                              .as("survives the cluster codec")
                              .isEqualTo(json);
                          JsonObject known = got.get(9).toJson();
                          assertThat(FrameMetadata.fromJson(known).toJson()).isEqualTo(known);
                          ctx.completeNow();
                        })));
  }

  @Test
  @DisplayName("A frame older than the last processed one is discarded")
  void discardsOutOfOrder(Vertx vertx, VertxTestContext ctx) {
    String run = UUID.randomUUID().toString();
    collect(
            vertx,
            5,
            () -> {
              for (long seq : new long[] {0, 1, 2, 5, 3, 5, 6}) {
                send(vertx, detections(run, seq, car(300 + seq, 450, 160, 90, 0.9)));
              }
            })
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got)
                              .extracting(FrameMetadata::frame)
                              .containsExactly(0L, 1L, 2L, 5L, 6L);
                          assertThat(got.get(4).tracks())
                              .extracting(TrackState::id)
                              .containsExactly(1L);
                          assertThat(counter("stale")).isEqualTo(2.0);
                          ctx.completeNow();
                        })));
  }

  @Test
  @DisplayName(
      "A new run id resets the tracker: ids start from 1 again and the old run's stragglers are dropped")
  void newRunResets(Vertx vertx, VertxTestContext ctx) {
    String runA = UUID.randomUUID().toString();
    String runB = UUID.randomUUID().toString();
    collect(
            vertx,
            10,
            () -> {
              for (int f = 0; f < 5; f++) {
                send(
                    vertx,
                    detections(
                        runA, 100 + f, car(300, 450, 160, 90, 0.9), car(900, 300, 100, 60, 0.9)));
              }
              send(vertx, detections(runB, 0, car(600, 500, 160, 90, 0.9)));
              send(vertx, detections(runA, 105, car(300, 450, 160, 90, 0.9)));
              for (int f = 1; f < 5; f++) {
                send(vertx, detections(runB, f, car(600, 500, 160, 90, 0.9)));
              }
            })
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got)
                              .extracting(FrameMetadata::runId)
                              .containsExactly(
                                  runA, runA, runA, runA, runA, runB, runB, runB, runB, runB);
                          assertThat(got.get(4).tracks())
                              .extracting(TrackState::id)
                              .containsExactly(1L, 2L);
                          assertThat(got.get(5).tracks()).isEmpty();
                          assertThat(got.get(9).frame()).isEqualTo(4L);
                          assertThat(got.get(9).tracks())
                              .extracting(TrackState::id)
                              .containsExactly(1L);
                          ctx.completeNow();
                        })));
  }

  @Test
  @DisplayName(
      "Bad input is counted and skipped without stopping the stage; meters follow the frames")
  void badInputAndMeters(Vertx vertx, VertxTestContext ctx) {
    String run = UUID.randomUUID().toString();
    collect(
            vertx,
            3,
            () -> {
              send(vertx, detections(run, 0, car(300, 450, 160, 90, 0.9)));
              send(
                  vertx,
                  new Detections(CAMERA, run, 1, Double.NaN, 1280, 720, 352, 352, List.of(), 0));
              send(
                  vertx,
                  new Detections(
                      "elsewhere", run, 2, Traffic.ts(2), 1280, 720, 352, 352, List.of(), 0));
              send(
                  vertx,
                  new Detections(
                      CAMERA, null, 3, Traffic.ts(3), 1280, 720, 352, 352, List.of(), 0));
              send(vertx, detections(run, 4, car(300, 450, 160, 90, 0.9)));
              send(vertx, detections(run, 5, car(301, 450, 160, 90, 0.9)));
            })
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got)
                              .extracting(FrameMetadata::frame)
                              .containsExactly(0L, 4L, 5L);
                          assertThat(got.get(2).tracks())
                              .extracting(TrackState::id)
                              .containsExactly(1L);
                          MeterRegistry registry = Meters.registry();
                          assertThat(counter("invalid")).isEqualTo(3.0);
                          assertThat(
                                  registry
                                      .get("stopsign_last_timestamp_seconds")
                                      .tags("camera", CAMERA, "stage", "track")
                                      .gauge()
                                      .value())
                              .isEqualTo(Traffic.ts(5));
                          assertThat(
                                  registry
                                      .get("stopsign_tracks_active")
                                      .tag("camera", CAMERA)
                                      .gauge()
                                      .value())
                              .isEqualTo(1.0);
                          assertThat(
                                  registry
                                      .get("stopsign_tracking_latency")
                                      .tag("camera", CAMERA)
                                      .timer()
                                      .count())
                              .isEqualTo(3);
                          assertThat(
                                  registry
                                      .get("stopsign_queue_depth")
                                      .tag("queue", "detections." + CAMERA)
                                      .gauge()
                                      .value())
                              .isZero();
                          assertThat(Meters.prometheus().scrape())
                              .contains("stopsign_tracking_latency_seconds_bucket")
                              .contains("stopsign_tracks_active{camera=\"" + CAMERA + "\"}");
                          ctx.completeNow();
                        })));
  }

  private static double counter(String reason) {
    return Meters.registry()
        .get("stopsign_tracking_discarded")
        .tags("camera", CAMERA, "reason", reason)
        .counter()
        .count();
  }

  /**
   * Subscribes to the camera's metadata, runs {@code sends}, and completes with the first {@code
   * count}.
   */
  private static Future<List<FrameMetadata>> collect(Vertx vertx, int count, Runnable sends) {
    Promise<List<FrameMetadata>> done = Promise.promise();
    List<FrameMetadata> got = new ArrayList<>();
    MessageConsumer<FrameMetadata> consumer = vertx.eventBus().consumer(Addresses.metadata(CAMERA));
    consumer.handler(
        m -> {
          got.add(m.body());
          if (got.size() == count) {
            done.tryComplete(List.copyOf(got));
          }
        });
    return consumer
        .completion()
        .compose(
            v -> {
              sends.run();
              return done.future();
            });
  }

  private static void send(Vertx vertx, Detections d) {
    vertx.eventBus().send(Addresses.detections(CAMERA), d);
  }

  private static Detections detections(String run, long seq, Detection... items) {
    return new Detections(
        CAMERA, run, seq, Traffic.ts((int) seq), 1280, 720, 352, 352, List.of(items), 1_000_000);
  }
}
