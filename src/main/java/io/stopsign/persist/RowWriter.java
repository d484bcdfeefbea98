package io.stopsign.persist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The SQL of every write: one multi-row {@code INSERT ... SELECT FROM unnest(arrays)} per group of
 * records of one kind (one statement, so one implicit transaction), idempotent through {@code ON
 * CONFLICT} on the natural keys. Tracks are upserted from the detection rows that were actually
 * inserted, in the same statement, so a replayed batch changes neither table.
 *
 * <p>Detections are written optimistically: first without {@code ON CONFLICT} (about 1.5x faster:
 * no speculative insertion per row), and only when that statement fails on a duplicate key (a
 * replay, a duplicated message) again with {@code ON CONFLICT DO NOTHING}. Either statement is
 * atomic, so the result is the same as always using the slow one.
 */
final class RowWriter {

  /** Rows inserted by one group, per table. */
  record Written(int detections, int tracks, int rows) {}

  static final String DETECTIONS_SQL =
      "WITH ins AS ("
          + " INSERT INTO detections (ts_utc, camera, run_id, frame, det_idx, track_id, cls, score,"
          + " x1, y1, x2, y2, speed, direction, is_parked)"
          + " SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::uuid[], $4::int8[], $5::int2[],"
          + " $6::int8[], $7::text[], $8::float4[], $9::float4[], $10::float4[], $11::float4[],"
          + " $12::float4[], $13::float4[], $14::float4[], $15::bool[])"
          + " ON CONFLICT DO NOTHING"
          + " RETURNING run_id, track_id, camera, cls, ts_utc, speed, is_parked),"
          + " agg AS ("
          + " SELECT run_id, track_id, min(camera) AS camera, (array_agg(cls ORDER BY ts_utc DESC))[1] AS cls,"
          + " min(ts_utc) AS first_ts, max(ts_utc) AS last_ts, count(*) AS frames,"
          + " max(speed) AS max_speed, count(*) FILTER (WHERE is_parked) AS parked_frames"
          + " FROM ins WHERE track_id IS NOT NULL GROUP BY run_id, track_id),"
          + " up AS ("
          + " INSERT INTO tracks AS t (run_id, track_id, camera, cls, first_ts, last_ts, frames, summary)"
          + " SELECT run_id, track_id, camera, cls, first_ts, last_ts, frames,"
          + " jsonb_build_object('max_speed', max_speed, 'parked_frames', parked_frames) FROM agg"
          + " ON CONFLICT (run_id, track_id) DO UPDATE SET"
          + " first_ts = LEAST(t.first_ts, EXCLUDED.first_ts),"
          + " last_ts = GREATEST(t.last_ts, EXCLUDED.last_ts),"
          + " cls = CASE WHEN EXCLUDED.last_ts >= t.last_ts THEN EXCLUDED.cls ELSE t.cls END,"
          + " frames = t.frames + EXCLUDED.frames,"
          + " summary = jsonb_build_object("
          + "'max_speed', GREATEST((t.summary->>'max_speed')::float8, (EXCLUDED.summary->>'max_speed')::float8),"
          + " 'parked_frames', COALESCE((t.summary->>'parked_frames')::int, 0)"
          + " + (EXCLUDED.summary->>'parked_frames')::int)"
          + " RETURNING 1)"
          + " SELECT (SELECT count(*) FROM ins)::int, (SELECT count(*) FROM up)::int";

  /** The same statement without conflict handling: the fast path for batches of new rows. */
  static final String DETECTIONS_NEW_SQL = DETECTIONS_SQL.replace(" ON CONFLICT DO NOTHING", "");

  static final String PASSES_SQL =
      "INSERT INTO passes (id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict, time_in_zone,"
          + " stop_duration, min_speed, entry_speed, speed_unit, reason, metrics, trajectory, snapshot)"
          + " SELECT id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict, time_in_zone,"
          + " stop_duration, min_speed, entry_speed, speed_unit, reason, metrics::jsonb, trajectory::jsonb,"
          + " snapshot FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int8[], $5::timestamptz[],"
          + " $6::timestamptz[], $7::text[], $8::float8[], $9::float8[], $10::float8[], $11::float8[],"
          + " $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])"
          + " AS r(id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict, time_in_zone,"
          + " stop_duration, min_speed, entry_speed, speed_unit, reason, metrics, trajectory, snapshot)"
          + " ON CONFLICT (id) DO NOTHING";

  static final String EVENTS_SQL =
      "INSERT INTO events (id, ts_utc, camera, kind, track_id, payload)"
          + " SELECT id, ts_utc, camera, kind, track_id, payload::jsonb"
          + " FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int8[], $6::text[])"
          + " AS r(id, ts_utc, camera, kind, track_id, payload)"
          + " ON CONFLICT (id) DO NOTHING";

  static final String SESSION_METRICS_SQL =
      "INSERT INTO session_metrics (ts_utc, camera, run_id, fps_decode, fps_infer, latency_ms_p50,"
          + " latency_ms_p95, queue_drops, cpu)"
          + " SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::uuid[], $4::float8[], $5::float8[],"
          + " $6::float8[], $7::float8[], $8::int8[], $9::float8[])"
          + " ON CONFLICT (camera, ts_utc) DO NOTHING";

  private final Pool pool;
  private final Pool bulkPool;
  private final Partitions partitions;

  /**
   * @param pool for passes, events and session metrics: acknowledged at commit, so commits are
   *     synchronous
   * @param bulkPool for detections and tracks (sheddable): asynchronous commit, like their unsynced
   *     spool lines
   */
  RowWriter(Pool pool, Pool bulkPool, Partitions partitions) {
    this.pool = pool;
    this.bulkPool = bulkPool;
    this.partitions = partitions;
  }

  /** Writes a group of records of one kind in one statement. */
  Future<Written> write(PersistRecord.Kind kind, List<PersistRecord> group) {
    try {
      return switch (kind) {
        case DETECTIONS -> writeDetections(merge(group), true);
        case PASS -> simple(PASSES_SQL, passes(group));
        case EVENT -> simple(EVENTS_SQL, events(group));
        case SESSION_METRICS -> simple(SESSION_METRICS_SQL, sessionMetrics(group));
      };
    } catch (RuntimeException e) {
      // a field missing or malformed (only a damaged spool line can get here): not retryable
      return Future.failedFuture(
          new DbErrors.BadRecord(kind.wire + " cannot be bound: " + DbErrors.describe(e)));
    }
  }

  private static DetectionRows merge(List<PersistRecord> group) {
    if (group.size() == 1) {
      return group.get(0).detections();
    }
    DetectionRows all = new DetectionRows();
    group.forEach(r -> all.addAll(r.detections()));
    return all;
  }

  Future<Written> writeDetections(DetectionRows rows, boolean retryMissingPartition) {
    if (rows.size() == 0) {
      return Future.succeededFuture(new Written(0, 0, 0));
    }
    Tuple arrays = rows.tuple();
    return partitions
        .ensure(rows.days())
        .compose(v -> bulkPool.preparedQuery(DETECTIONS_NEW_SQL).execute(arrays))
        .recover(
            e ->
                e instanceof PgException pg && "23505".equals(pg.getSqlState())
                    ? bulkPool.preparedQuery(DETECTIONS_SQL).execute(arrays)
                    : Future.failedFuture(e))
        .map(
            result -> {
              Row row = result.iterator().next();
              return new Written(row.getInteger(0), row.getInteger(1), row.getInteger(0));
            })
        .recover(
            e -> {
              // 23514: no partition for a row (dropped behind our back, or a new database): make
              // it, retry once
              if (retryMissingPartition
                  && e instanceof PgException pg
                  && "23514".equals(pg.getSqlState())) {
                partitions.forget();
                return writeDetections(rows, false);
              }
              return Future.failedFuture(e);
            });
  }

  private Future<Written> simple(String sql, Tuple arrays) {
    return pool.preparedQuery(sql)
        .execute(arrays)
        .map(result -> new Written(0, 0, result.rowCount()));
  }

  private static Tuple passes(List<PersistRecord> group) {
    return Tuple.wrap(
        List.of(
            column(group, UUID[]::new, r -> UUID.fromString(r.getString("id"))),
            column(group, String[]::new, r -> r.getString("camera")),
            column(group, UUID[]::new, r -> UUID.fromString(r.getString("run_id"))),
            column(group, Long[]::new, r -> r.getLong("track_id")),
            column(group, OffsetDateTime[]::new, r -> time(r.getDouble("ts_utc"))),
            column(group, OffsetDateTime[]::new, r -> time(r.getDouble("entry_ts_utc"))),
            column(group, String[]::new, r -> r.getString("verdict")),
            column(group, Double[]::new, r -> r.getDouble("time_in_zone")),
            column(group, Double[]::new, r -> r.getDouble("stop_duration")),
            column(group, Double[]::new, r -> r.getDouble("min_speed")),
            column(group, Double[]::new, r -> r.getDouble("entry_speed")),
            column(group, String[]::new, r -> r.getString("speed_unit")),
            column(group, String[]::new, r -> r.getString("reason")),
            column(group, String[]::new, r -> r.getJsonObject("metrics").encode()),
            column(group, String[]::new, r -> r.getJsonArray("trajectory").encode()),
            column(group, String[]::new, r -> r.getString("snapshot"))));
  }

  private static Tuple events(List<PersistRecord> group) {
    return Tuple.wrap(
        List.of(
            column(group, UUID[]::new, r -> UUID.fromString(r.getString("id"))),
            column(group, OffsetDateTime[]::new, r -> time(r.getDouble("ts_utc"))),
            column(group, String[]::new, r -> r.getString("camera")),
            column(group, String[]::new, r -> r.getString("kind")),
            column(group, Long[]::new, r -> r.getLong("track_id")),
            column(group, String[]::new, r -> r.getJsonObject("payload").encode())));
  }

  private static Tuple sessionMetrics(List<PersistRecord> group) {
    return Tuple.wrap(
        List.of(
            column(group, OffsetDateTime[]::new, r -> time(r.getDouble("ts_utc"))),
            column(group, String[]::new, r -> r.getString("camera")),
            column(group, UUID[]::new, r -> UUID.fromString(r.getString("run_id"))),
            column(group, Double[]::new, r -> r.getDouble("fps_decode")),
            column(group, Double[]::new, r -> r.getDouble("fps_infer")),
            column(group, Double[]::new, r -> r.getDouble("latency_ms_p50")),
            column(group, Double[]::new, r -> r.getDouble("latency_ms_p95")),
            column(group, Long[]::new, r -> r.getLong("queue_drops")),
            column(group, Double[]::new, r -> r.getDouble("cpu"))));
  }

  private static <T> T[] column(
      List<PersistRecord> group,
      java.util.function.IntFunction<T[]> array,
      Function<JsonObject, T> field) {
    T[] out = array.apply(group.size());
    for (int i = 0; i < out.length; i++) {
      out[i] = field.apply(group.get(i).row());
    }
    return out;
  }

  /** Epoch seconds to a timestamp, rounded to the microsecond Postgres keeps. */
  static OffsetDateTime time(double epochSeconds) {
    return DetectionRows.toTime(Math.round(epochSeconds * 1e6));
  }
}
