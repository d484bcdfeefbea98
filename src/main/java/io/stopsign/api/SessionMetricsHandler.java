package io.stopsign.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;

/** GET /session-metrics: the pipeline's periodic samples, oldest first. */
final class SessionMetricsHandler {
  static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  private final Pool pool;

  SessionMetricsHandler(Pool pool) {
    this.pool = pool;
  }

  void list(RoutingContext ctx) {
    Params p = Params.of(ctx);
    TimeRange range =
        TimeRange.closed(p.string("from"), p.string("to"), DEFAULT_SPAN, Instant.now());
    int limit = p.integer("limit", 1000);
    Where where =
        new Where()
            .and("ts_utc >= ?", range.fromUtc())
            .and("ts_utc < ?", range.toUtc())
            .andIf(p.string("camera"), "camera = ?");
    String sql =
        "SELECT ts_utc, camera, run_id, fps_decode, fps_infer, latency_ms_p50, latency_ms_p95,"
            + " queue_drops, cpu FROM session_metrics"
            + where.sql()
            + " ORDER BY ts_utc, camera LIMIT "
            + where.param(limit + 1);
    pool.preparedQuery(sql)
        .execute(where.params())
        .onSuccess(
            rows -> {
              JsonArray items = new JsonArray();
              for (Row row : rows) {
                if (items.size() == limit) {
                  break;
                }
                items.add(sample(row));
              }
              ApiRouter.json(
                  ctx, new JsonObject().put("items", items).put("truncated", rows.size() > limit));
            })
        .onFailure(ctx::fail);
  }

  private static JsonObject sample(Row row) {
    return new JsonObject()
        .put("ts_utc", PassJson.epochSeconds(row.getOffsetDateTime("ts_utc")))
        .put("camera", row.getString("camera"))
        .put("run_id", row.getUUID("run_id").toString())
        .put("fps_decode", PassJson.real(row.getFloat("fps_decode")))
        .put("fps_infer", PassJson.real(row.getFloat("fps_infer")))
        .put("latency_ms_p50", PassJson.real(row.getFloat("latency_ms_p50")))
        .put("latency_ms_p95", PassJson.real(row.getFloat("latency_ms_p95")))
        .put("queue_drops", row.getLong("queue_drops"))
        .put("cpu", PassJson.real(row.getFloat("cpu")));
  }
}
