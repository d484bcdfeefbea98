package io.stopsign.persist;

import static io.stopsign.persist.PersistFixtures.T0;
import static io.stopsign.persist.PersistFixtures.await;
import static io.stopsign.persist.PersistFixtures.camera;
import static io.stopsign.persist.PersistFixtures.count;
import static io.stopsign.persist.PersistFixtures.eventually;
import static io.stopsign.persist.PersistFixtures.execute;
import static io.stopsign.persist.PersistFixtures.frame;
import static io.stopsign.persist.PersistFixtures.pass;
import static io.stopsign.persist.PersistFixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.codec.Codecs;
import io.stopsign.judge.PassEvent;
import io.stopsign.ops.CameraEvent;
import io.stopsign.ops.SessionSample;
import io.stopsign.testing.TestDb;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class PersistVerticleTest {
  private static final DbConfig FAST = new DbConfig("", "", "", 4, 1000, 100, 16, 0);

  @TempDir Path dataDir;

  private final Database db = TestDb.get();

  private PersistVerticle deploy(Vertx vertx, String camera, DbConfig config, Clock clock) {
    Codecs.register(vertx.eventBus());
    PersistVerticle verticle =
        new PersistVerticle(db, config, dataDir, List.of(camera(camera)), 64, "test", clock);
    await(vertx.deployVerticle(verticle));
    return verticle;
  }

  /** The failure a request ends with (null when it was answered). */
  private static Throwable failureOf(Vertx vertx, String address, Object body) {
    return vertx
        .eventBus()
        .request(address, body)
        .toCompletionStage()
        .toCompletableFuture()
        .handle((r, e) -> e)
        .join();
  }

  /** Every migration shipped, as {@code version:true}, in version order. */
  private static List<String> migrations() {
    try (var files = java.nio.file.Files.list(Path.of("src/main/resources/db/migration"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
          .sorted()
          .map(v -> v + ":true")
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName(
      "the empty test database is migrated to the latest schema, and the writer's start finds nothing left to do")
  void migratesFromEmpty(Vertx vertx) {
    deploy(vertx, "mig", FAST, Clock.systemUTC());
    assertThat(
            strings(
                db,
                "SELECT version || ':' || success FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactlyElementsOf(migrations());
    assertThat(
            strings(
                db,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
        .contains("cameras", "detections", "tracks", "passes", "events", "session_metrics");
    assertThat(strings(db, "SELECT source FROM cameras WHERE id = 'mig'"))
        .containsExactly("rtsp://127.0.0.1:8554/mig");
  }

  @Test
  @DisplayName(
      "today's and tomorrow's detections partitions exist once the writer has started, and there is no default partition")
  void createsPartitionsAhead(Vertx vertx) {
    deploy(vertx, "part", FAST, Clock.systemUTC());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<String> partitions =
        strings(
            db,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'detections'::regclass");
    assertThat(partitions).contains(Partitions.name(today), Partitions.name(today.plusDays(1)));
    assertThat(
            count(
                db,
                "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'detections'::regclass AND partdefid <> 0"))
        .isZero();
  }

  @Test
  @DisplayName(
      "retention drops the detections partitions older than retention_days and keeps the recent ones")
  void retentionDropsOldPartitions(Vertx vertx) {
    LocalDate old = LocalDate.of(2001, 1, 1);
    LocalDate recent = LocalDate.of(2001, 1, 25);
    for (LocalDate day : List.of(old, recent)) {
      execute(
          db,
          "CREATE TABLE IF NOT EXISTS "
              + Partitions.name(day)
              + " PARTITION OF detections"
              + " FOR VALUES FROM ('"
              + day
              + " 00:00:00+00') TO ('"
              + day.plusDays(1)
              + " 00:00:00+00')");
    }
    Clock february = Clock.fixed(Instant.parse("2001-02-01T12:00:00Z"), ZoneOffset.UTC);
    deploy(vertx, "ret", new DbConfig("", "", "", 4, 1000, 100, 16, 30), february);
    List<String> names =
        strings(
            db, "SELECT relname FROM pg_class WHERE relname LIKE 'detections_p2001%' ORDER BY 1");
    assertThat(names).doesNotContain(Partitions.name(old)).contains(Partitions.name(recent));
  }

  @Test
  @DisplayName(
      "metadata over the bus becomes detections and track rows in batches; the same messages again change nothing")
  void detectionsAndTracksAreIdempotent(Vertx vertx) throws InterruptedException {
    String cam = "det" + UUID.randomUUID().toString().substring(0, 8);
    deploy(vertx, cam, FAST, Clock.systemUTC());
    String run = UUID.randomUUID().toString();
    List<FrameMetadata> frames =
        java.util.stream.IntStream.range(0, 30)
            .mapToObj(i -> frame(cam, run, i, T0 + i / 30.0, i < 10 ? 3 : 2))
            .toList();
    frames.forEach(f -> vertx.eventBus().publish(Addresses.metadata(cam), f));
    String detections = "SELECT count(*) FROM detections WHERE camera = '" + cam + "'";
    eventually(10_000, "70 detection rows", () -> count(db, detections) == 70);
    assertThat(count(db, "SELECT count(*) FROM tracks WHERE camera = '" + cam + "'")).isEqualTo(3);
    assertThat(
            strings(
                db,
                "SELECT track_id || ':' || frames || ':' || cls || ':' || (summary->>'max_speed')"
                    + " FROM tracks WHERE camera = '"
                    + cam
                    + "' ORDER BY track_id"))
        .containsExactly("1:30:car:13.5", "2:30:truck:14.5", "3:10:car:15.5");
    assertThat(
            count(
                db,
                "SELECT count(*) FROM tracks WHERE camera = '"
                    + cam
                    + "' AND track_id = 1"
                    + " AND first_ts = to_timestamp("
                    + T0
                    + ") AND last_ts = to_timestamp("
                    + (T0 + 29 / 30.0)
                    + ")"))
        .isEqualTo(1);

    assertThat(io.stopsign.ops.StageTimestamps.latest(cam, "db_write")).isEqualTo(T0 + 29 / 30.0);

    frames.forEach(f -> vertx.eventBus().publish(Addresses.metadata(cam), f));
    // one new frame after the duplicates: once its row is in, the duplicates have been handled
    vertx.eventBus().publish(Addresses.metadata(cam), frame(cam, run, 30, T0 + 1, 1));
    eventually(10_000, "the frame sent after the duplicates", () -> count(db, detections) >= 71);
    assertThat(count(db, detections)).isEqualTo(71);
    assertThat(
            strings(
                db,
                "SELECT track_id || ':' || frames FROM tracks WHERE camera = '"
                    + cam
                    + "' ORDER BY track_id"))
        .containsExactly("1:31", "2:30", "3:10");
  }

  @Test
  @DisplayName(
      "a pass is acknowledged once committed and stored exactly once however often it is sent")
  void passesAreIdempotent(Vertx vertx) {
    String cam = "pass" + UUID.randomUUID().toString().substring(0, 8);
    deploy(vertx, cam, FAST, Clock.systemUTC());
    JsonObject pass = pass(cam, UUID.randomUUID().toString(), 7, T0);
    for (int i = 0; i < 3; i++) {
      JsonObject reply = await(vertx.eventBus().<JsonObject>request(Addresses.PASSES, pass)).body();
      assertThat(reply.getString("stored")).isEqualTo("written");
      assertThat(reply.getString("id")).isEqualTo(pass.getString("id"));
    }
    assertThat(
            strings(
                db,
                "SELECT verdict || ':' || (metrics->>'future_field') || ':' || jsonb_array_length(trajectory)"
                    + " FROM passes WHERE camera = '"
                    + cam
                    + "'"))
        .containsExactly("full:7:1");
  }

  @Test
  @DisplayName(
      "events are acknowledged and stored with their payload; published session metrics are stored once")
  void eventsAndSessionMetrics(Vertx vertx) throws InterruptedException {
    String cam = "ev" + UUID.randomUUID().toString().substring(0, 8);
    deploy(vertx, cam, FAST, Clock.systemUTC());
    JsonObject event = PersistFixtures.event(cam, T0, "source_down").put("track_id", 12);
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(Addresses.EVENTS, event)).body();
    assertThat(reply.getString("stored")).isEqualTo("written");
    assertThat(
            strings(
                db,
                "SELECT kind || ':' || track_id || ':' || (payload->>'why') FROM events WHERE camera = '"
                    + cam
                    + "'"))
        .containsExactly("source_down:12:test");
    JsonObject sample =
        new JsonObject()
            .put("ts_utc", T0)
            .put("camera", cam)
            .put("run_id", UUID.randomUUID().toString())
            .put("fps_decode", 29.97)
            .put("fps_infer", 12.5)
            .put("latency_ms_p50", 40.0)
            .put("latency_ms_p95", 80.0)
            .put("queue_drops", 3)
            .put("cpu", 1.25);
    vertx.eventBus().publish(Addresses.SESSION_METRICS, sample);
    vertx.eventBus().publish(Addresses.SESSION_METRICS, sample);
    // a later sample of another run: the lane is ordered, so once it is stored the duplicate is too
    JsonObject later =
        sample.copy().put("run_id", UUID.randomUUID().toString()).put("ts_utc", T0 + 1);
    vertx.eventBus().publish(Addresses.SESSION_METRICS, later);
    String all = "SELECT count(*) FROM session_metrics WHERE camera = '" + cam + "'";
    eventually(5_000, "the sample sent after the duplicate", () -> count(db, all) >= 2);
    assertThat(count(db, all)).isEqualTo(2);
    assertThat(
            count(
                db,
                all + " AND run_id = '" + sample.getString("run_id") + "' AND fps_infer = 12.5"))
        .isEqualTo(1);
  }

  @Test
  @DisplayName(
      "the records analyzers send (PassEvent, CameraEvent, SessionSample) are validated and stored"
          + " like their JSON")
  void storesRecords(Vertx vertx) throws InterruptedException {
    String cam = "rec" + UUID.randomUUID().toString().substring(0, 8);
    deploy(vertx, cam, FAST, Clock.systemUTC());
    PassEvent pass = PassEvent.fromJson(pass(cam, UUID.randomUUID().toString(), 3, T0));
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(Addresses.PASSES, pass)).body();
    assertThat(reply.getString("id")).isEqualTo(pass.id().toString());
    CameraEvent event = CameraEvent.now(cam, "source_state", new JsonObject().put("state", "UP"));
    assertThat(
            await(vertx.eventBus().<JsonObject>request(Addresses.EVENTS, event))
                .body()
                .getString("stored"))
        .isEqualTo("written");
    String run = UUID.randomUUID().toString();
    vertx
        .eventBus()
        .publish(
            Addresses.SESSION_METRICS, new SessionSample(T0, cam, run, 25, 10, 30, 60, 4, 0.5));
    eventually(
        5_000,
        "the session metrics row",
        () -> count(db, "SELECT count(*) FROM session_metrics WHERE run_id = '" + run + "'") == 1);
    assertThat(strings(db, "SELECT verdict FROM passes WHERE camera = '" + cam + "'"))
        .containsExactly(pass.verdict().wire());
    assertThat(strings(db, "SELECT payload->>'state' FROM events WHERE camera = '" + cam + "'"))
        .containsExactly("UP");
  }

  @Test
  @DisplayName(
      "a spool left by an earlier run is replayed at start, in order; a damaged line is set aside in rejected.jsonl")
  void replaysLeftoverSpool(Vertx vertx) throws Exception {
    String cam = "left" + UUID.randomUUID().toString().substring(0, 8);
    String run = UUID.randomUUID().toString();
    JsonObject first = pass(cam, run, 1, T0);
    JsonObject second = pass(cam, run, 2, T0 + 5);
    java.nio.file.Files.createDirectories(dataDir.resolve("spool"));
    java.nio.file.Files.writeString(
        dataDir.resolve("spool/persist.spool"),
        PersistRecord.of(PersistRecord.Kind.PASS, IncomingRows.pass(first)).toLine()
            + "\n"
            + "{\"kind\":\"pass\",\"data\":{\"id\":42}}\n"
            + PersistRecord.of(PersistRecord.Kind.PASS, IncomingRows.pass(second)).toLine()
            + "\n");
    deploy(vertx, cam, FAST, Clock.systemUTC());
    eventually(
        10_000,
        "both passes",
        () -> count(db, "SELECT count(*) FROM passes WHERE camera = '" + cam + "'") == 2);
    assertThat(
            strings(db, "SELECT id FROM passes WHERE camera = '" + cam + "' ORDER BY ingest_seq"))
        .containsExactly(first.getString("id"), second.getString("id"));
    eventually(
        5_000,
        "the spool emptied",
        () -> dataDir.resolve("spool/persist.spool").toFile().length() == 0);
    assertThat(java.nio.file.Files.readString(dataDir.resolve("spool/rejected.jsonl")))
        .contains("\"id\":42");
  }

  @Test
  @DisplayName(
      "a pass that breaks its contract is refused with code 400 naming the field, and nothing is stored")
  void badPassIsRefused(Vertx vertx) {
    String cam = "bad" + UUID.randomUUID().toString().substring(0, 8);
    deploy(vertx, cam, FAST, Clock.systemUTC());
    JsonObject pass = pass(cam, UUID.randomUUID().toString(), 7, T0).put("verdict", "stopped-ish");
    Throwable failure = failureOf(vertx, Addresses.PASSES, pass);
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
    assertThat(failure.getMessage())
        .contains("verdict=stopped-ish")
        .contains("full, rolling, none, rejected");
    Throwable notJson = failureOf(vertx, Addresses.EVENTS, "hello");
    assertThat(((ReplyException) notJson).failureCode()).isEqualTo(400);
    assertThat(count(db, "SELECT count(*) FROM passes WHERE camera = '" + cam + "'")).isZero();
  }

  @Test
  @DisplayName("stopping the verticle writes the detections still waiting for their batch")
  void stopFlushes(Vertx vertx) throws InterruptedException {
    String cam = "stop" + UUID.randomUUID().toString().substring(0, 8);
    DbConfig slow = new DbConfig("", "", "", 4, 1000, 60_000, 16, 0);
    PersistVerticle verticle = deploy(vertx, cam, slow, Clock.systemUTC());
    String run = UUID.randomUUID().toString();
    for (int i = 0; i < 5; i++) {
      vertx.eventBus().publish(Addresses.metadata(cam), frame(cam, run, i, T0 + i, 2));
    }
    // a reply to a later message on the same context: the frames have been taken in by now
    Throwable refused = failureOf(vertx, Addresses.EVENTS, "not json");
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(400);
    assertThat(count(db, "SELECT count(*) FROM detections WHERE camera = '" + cam + "'")).isZero();
    await(vertx.undeploy(verticle.deploymentID()));
    assertThat(count(db, "SELECT count(*) FROM detections WHERE camera = '" + cam + "'"))
        .isEqualTo(10);
  }
}
