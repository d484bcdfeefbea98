package io.stopsign.persist;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.judge.TrackState;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Messages as the other stages send them, and blocking helpers to look at the database. */
final class PersistFixtures {
  static final double T0 = 1_760_000_000.0; // 2025-10-09, a fixed past day

  static CameraConfig camera(String id) {
    return new CameraConfig(
        id,
        "rtsp://127.0.0.1:8554/" + id,
        false,
        new JudgeConfig(
            List.of(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6}),
            List.of(),
            List.of()));
  }

  /** One frame with {@code tracks} cars moving right, ids 1..tracks. */
  static FrameMetadata frame(String camera, String runId, long frame, double ts, int tracks) {
    List<TrackState> states = new ArrayList<>();
    for (int i = 1; i <= tracks; i++) {
      float x = 10 * frame + 100 * i;
      states.add(
          new TrackState(
              i,
              i % 2 == 0 ? "truck" : "car",
              0.9f,
              x,
              200,
              x + 80,
              260,
              12.5 + i,
              0.0,
              false,
              i == 1));
    }
    return new FrameMetadata(
        camera, runId, frame, ts, states, List.of(), 1280, 720, 352, 352, "px/s");
  }

  static JsonObject pass(String camera, String runId, long trackId, double entryTs) {
    String id =
        UUID.nameUUIDFromBytes(
                (camera + "/" + runId + "/" + trackId + "/" + entryTs)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    return new JsonObject()
        .put("type", "pass")
        .put("id", id)
        .put("camera", camera)
        .put("run_id", runId)
        .put("track_id", trackId)
        .put("ts_utc", entryTs + 2.5)
        .put("entry_ts_utc", entryTs)
        .put("verdict", "full")
        .put("time_in_zone", 2.5)
        .put("stop_duration", 1.3)
        .put("min_speed", 3.2)
        .put("entry_speed", 40.0)
        .put("speed_unit", "px/s")
        .put("reason", "stopped 1.3 s")
        .put(
            "trajectory",
            new JsonArray().add(new JsonArray().add(entryTs).add(1).add(2).add(3).add(4)))
        .put("snapshot", null)
        .put("snapshot_url", null)
        .put("future_field", 7);
  }

  static JsonObject event(String camera, double ts, String kind) {
    return new JsonObject()
        .put("id", UUID.randomUUID().toString())
        .put("ts_utc", ts)
        .put("camera", camera)
        .put("kind", kind)
        .put("track_id", null)
        .put("payload", new JsonObject().put("why", "test"));
  }

  static Connection jdbc(Database db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), "postgres", "postgres");
  }

  static long count(Database db, String sql) {
    try (Connection c = jdbc(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void execute(Database db, String sql) {
    try (Connection c = jdbc(db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> strings(Database db, String sql) {
    try (Connection c = jdbc(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  /** Waits until the condition holds; fails after the timeout. */
  static void eventually(long timeoutMs, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  private PersistFixtures() {}
}
