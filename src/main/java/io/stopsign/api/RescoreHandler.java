package io.stopsign.api;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.config.ConfigException;
import io.stopsign.judge.PassScore;
import io.stopsign.judge.PassScorer;
import io.stopsign.judge.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /passes/rescore: a what-if that scores a camera's stored passes again, from their kept
 * trajectories, with the same {@link PassScorer} as the live service and other thresholds. Stored
 * rows are never modified.
 */
final class RescoreHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RescoreHandler.class);
  static final Duration DEFAULT_SPAN = Duration.ofDays(7);
  static final Duration MAX_SPAN = Duration.ofDays(31);
  static final int MAX_PASSES = 5000;
  // each re-score holds up to MAX_PASSES trajectories and a worker thread while it runs
  static final int MAX_CONCURRENT = 2;

  private final Vertx vertx;
  private final Pool pool;
  private final Map<String, JudgeConfig> cameras = new LinkedHashMap<>();
  private final CameraGeometries geometries;
  private final AtomicInteger running = new AtomicInteger();

  /**
   * Geometry as the judges use it now (the zone editor's over the file's), the file's thresholds.
   */
  RescoreHandler(Vertx vertx, Pool pool, CameraGeometries geometries) {
    this.vertx = vertx;
    this.pool = pool;
    this.geometries = geometries;
    for (CameraConfig camera : geometries.configured()) {
      cameras.put(camera.id(), camera.judge());
    }
  }

  /** A stored pass as read: what the scorer needs and what the answer names. */
  private record Stored(UUID id, OffsetDateTime ts, Verdict verdict, Object trajectory) {}

  void rescore(RoutingContext ctx) {
    JsonObject body = Params.of(ctx).body();
    String camera = body.getString("camera");
    JsonObject overrides = body.getJsonObject("thresholds", new JsonObject());
    geometry(cameras.get(camera), camera, overrides); // refuses bad thresholds before any query
    TimeRange range =
        TimeRange.closed(time(body, "from"), time(body, "to"), DEFAULT_SPAN, Instant.now());
    if (Duration.between(range.from(), range.to()).compareTo(MAX_SPAN) > 0) {
      throw ApiException.badRequest(
          "bad_range",
          "The range from "
              + range.from()
              + " to "
              + range.to()
              + " is longer than "
              + MAX_SPAN.toDays()
              + " days, the most one re-score covers.");
    }
    if (running.incrementAndGet() > MAX_CONCURRENT) {
      running.decrementAndGet();
      ctx.response().putHeader("retry-after", "5");
      throw new ApiException(
          429,
          "too_many_requests",
          MAX_CONCURRENT + " re-scores are already running, the most at once; retry shortly.");
    }
    Where where =
        new Where()
            .and("camera = ?", camera)
            .and("ts_utc >= ?", range.fromUtc())
            .and("ts_utc < ?", range.toUtc());
    // Counted first (index only) so that a too-large range never loads its trajectories.
    String count =
        "SELECT count(*) AS n FROM (SELECT 1 FROM passes"
            + where.sql()
            + " LIMIT "
            + where.param(MAX_PASSES + 1)
            + ") AS p";
    JudgeGeometry[] geometry = new JudgeGeometry[1];
    geometries
        .current(camera)
        .compose(
            judge -> {
              geometry[0] = geometry(judge, camera, overrides);
              return pool.preparedQuery(count).execute(where.params());
            })
        .compose(
            rows -> {
              tooMany(rows.iterator().next().getLong("n"), camera, range);
              Where read =
                  new Where()
                      .and("camera = ?", camera)
                      .and("ts_utc >= ?", range.fromUtc())
                      .and("ts_utc < ?", range.toUtc());
              return pool.preparedQuery(
                      "SELECT id, ts_utc, verdict, trajectory FROM passes"
                          + read.sql()
                          + " ORDER BY ts_utc DESC, id DESC LIMIT "
                          + read.param(MAX_PASSES + 1))
                  .execute(read.params());
            })
        .map(
            rows -> {
              List<Stored> passes = new ArrayList<>(rows.size());
              for (Row row : rows) {
                passes.add(
                    new Stored(
                        row.getUUID("id"),
                        row.getOffsetDateTime("ts_utc"),
                        Verdict.fromWire(row.getString("verdict")),
                        row.getValue("trajectory")));
              }
              tooMany(passes.size(), camera, range);
              return passes;
            })
        .compose(
            passes ->
                vertx.executeBlocking(() -> score(passes, new PassScorer(geometry[0])), false))
        .onSuccess(
            result ->
                ApiRouter.json(
                    ctx,
                    new JsonObject()
                        .put("camera", camera)
                        .put("from", PassJson.epochSeconds(range.fromUtc()))
                        .put("to", PassJson.epochSeconds(range.toUtc()))
                        .put("thresholds", geometry[0].thresholds().toJson())
                        .mergeIn(result)))
        .onComplete(done -> running.decrementAndGet())
        .onFailure(ctx::fail);
  }

  /** The camera's geometry with its thresholds overridden by the request's. */
  private JudgeGeometry geometry(JudgeConfig configured, String camera, JsonObject overrides) {
    if (configured == null) {
      throw ApiException.badRequest(
          "unknown_camera",
          "camera '"
              + camera
              + "' is not configured"
              + (cameras.isEmpty()
                  ? "; the service has no camera."
                  : "; configured: " + String.join(", ", cameras.keySet()) + "."));
    }
    try {
      return JudgeGeometry.of(
          new JudgeConfig(
              configured.stopZone(),
              configured.preStopLine(),
              configured.captureLine(),
              configured.calibration(),
              configured.thresholds().withOverrides(overrides)));
    } catch (ConfigException e) {
      throw ApiException.badRequest(
          "bad_thresholds", e.getMessage().replaceFirst("^config: ", "") + ".");
    }
  }

  /** A time as the query parameters take it; a JSON number is epoch seconds. */
  private static String time(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (v instanceof Number n) {
      try {
        // 1e400 parses as Infinity: no decimal, so the range check below names it
        return new BigDecimal(n.toString()).toPlainString();
      } catch (NumberFormatException e) {
        return n.toString();
      }
    }
    return v == null ? null : v.toString();
  }

  private static void tooMany(long passes, String camera, TimeRange range) {
    if (passes > MAX_PASSES) {
      throw ApiException.badRequest(
          "too_many_passes",
          "Camera "
              + camera
              + " has more than "
              + MAX_PASSES
              + " passes from "
              + range.from()
              + " to "
              + range.to()
              + "; re-score at most "
              + MAX_PASSES
              + " at a time (a shorter range).");
    }
  }

  /** Scores every pass in one go. Blocking (CPU): runs on a worker. */
  private static JsonObject score(List<Stored> passes, PassScorer scorer) {
    Map<Verdict, Long> before = new EnumMap<>(Verdict.class);
    Map<Verdict, Long> after = new EnumMap<>(Verdict.class);
    JsonArray changed = new JsonArray();
    JsonArray unscored = new JsonArray();
    for (Stored pass : passes) {
      before.merge(pass.verdict(), 1L, Long::sum);
      PassScore score;
      try {
        score = scorer.score(samples(pass.trajectory()));
      } catch (IllegalArgumentException e) {
        // A trajectory that cannot be replayed keeps its stored verdict and is listed apart.
        after.merge(pass.verdict(), 1L, Long::sum);
        unscored.add(
            new JsonObject()
                .put("id", pass.id().toString())
                .put("ts_utc", PassJson.epochSeconds(pass.ts()))
                .put("reason", e.getMessage()));
        continue;
      }
      after.merge(score.verdict(), 1L, Long::sum);
      if (score.verdict() != pass.verdict()) {
        JsonObject scored = score.fill(new JsonObject());
        changed.add(
            new JsonObject()
                .put("id", pass.id().toString())
                .put("ts_utc", PassJson.epochSeconds(pass.ts()))
                .put("verdict_before", pass.verdict().wire())
                .put("verdict_after", score.verdict().wire())
                .put("time_in_zone", scored.getDouble("time_in_zone"))
                .put("stop_duration", scored.getDouble("stop_duration"))
                .put("min_speed", scored.getDouble("min_speed"))
                .put("reason", score.reason()));
      }
    }
    if (!unscored.isEmpty()) {
      LOG.warn("re-score: {} stored trajectories could not be replayed", unscored.size());
    }
    return new JsonObject()
        .put("count", passes.size())
        .put("before", counts(before))
        .put("after", counts(after))
        .put("changed", changed)
        .put("unscored", unscored);
  }

  /** The stored {@code [[t,x1,y1,x2,y2],...]}. */
  private static List<Sample> samples(Object trajectory) {
    if (!(trajectory instanceof JsonArray array)) {
      throw new IllegalArgumentException("the stored trajectory is not a list of samples");
    }
    return Sample.listFromJson(array);
  }

  private static JsonObject counts(Map<Verdict, Long> counts) {
    long full = counts.getOrDefault(Verdict.FULL, 0L);
    long rolling = counts.getOrDefault(Verdict.ROLLING, 0L);
    long none = counts.getOrDefault(Verdict.NONE, 0L);
    double compliance = Verdict.compliance(full, rolling, none);
    return new JsonObject()
        .put("full", full)
        .put("rolling", rolling)
        .put("none", none)
        .put("rejected", counts.getOrDefault(Verdict.REJECTED, 0L))
        .put("compliance", Double.isNaN(compliance) ? null : compliance);
  }
}
