package io.stopsign.api;

import io.stopsign.judge.Verdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** GET /stats (verdict counts and compliance per local hour or day) and GET /records. */
final class StatsHandler {
  static final Duration DEFAULT_SPAN = Duration.ofDays(7);

  // Totals come from the same query (the empty grouping set) so compliance has one definition.
  private static final String COUNTS =
      "count(*) FILTER (WHERE verdict = 'full') AS full,"
          + " count(*) FILTER (WHERE verdict = 'rolling') AS rolling,"
          + " count(*) FILTER (WHERE verdict = 'none') AS none,"
          + " count(*) FILTER (WHERE verdict = 'rejected') AS rejected,"
          + " count(*) AS total, "
          + Verdict.COMPLIANCE_SQL
          + " AS compliance";

  private final Pool pool;
  private final ZoneId defaultZone;

  StatsHandler(Pool pool, ZoneId defaultZone) {
    this.pool = pool;
    this.defaultZone = defaultZone;
  }

  void stats(RoutingContext ctx) {
    Params p = Params.of(ctx);
    TimeRange range =
        TimeRange.closed(p.string("from"), p.string("to"), DEFAULT_SPAN, Instant.now());
    String bucket = p.string("bucket") == null ? "day" : p.string("bucket");
    ChronoUnit unit = bucket.equals("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
    String tz = p.string("tz");
    ZoneId zone = tz == null ? defaultZone : TimeZones.parse(tz);
    String camera = p.string("camera");
    Where where = new Where();
    String truncated =
        "date_trunc("
            + where.param(unit == ChronoUnit.HOURS ? "hour" : "day")
            + "::text, ts_utc, "
            + where.param(TimeZones.postgresName(zone))
            + "::text)";
    where
        .and("ts_utc >= ?", range.fromUtc())
        .and("ts_utc < ?", range.toUtc())
        .andIf(camera, "camera = ?");
    String sql =
        "SELECT bucket, "
            + COUNTS
            + " FROM (SELECT "
            + truncated
            + " AS bucket, verdict FROM passes"
            + where.sql()
            + ") AS p GROUP BY GROUPING SETS ((bucket), ())";
    pool.preparedQuery(sql)
        .execute(where.params())
        .recover(StatsHandler::unknownZone)
        .onSuccess(
            rows -> {
              Map<Instant, JsonObject> buckets = emptyBuckets(range, zone, unit);
              JsonObject totals = counts(null);
              for (Row row : rows) {
                if (row.getValue("bucket") == null) {
                  totals = counts(row);
                } else {
                  Instant start = row.getOffsetDateTime("bucket").toInstant();
                  buckets.put(start, bucketJson(start, zone).mergeIn(counts(row)));
                }
              }
              ApiRouter.json(
                  ctx,
                  new JsonObject()
                      .put("from", seconds(range.from()))
                      .put("to", seconds(range.to()))
                      .put("bucket", bucket)
                      .put("timezone", zone.getId())
                      .put("camera", camera)
                      .put("buckets", new JsonArray(List.copyOf(buckets.values())))
                      .put("totals", totals));
            })
        .onFailure(ctx::fail);
  }

  /** Every bucket of the range in the zone, with zero counts, so charts show the quiet hours. */
  private static Map<Instant, JsonObject> emptyBuckets(
      TimeRange range, ZoneId zone, ChronoUnit unit) {
    Map<Instant, JsonObject> out = new TreeMap<>();
    ZonedDateTime start = range.from().atZone(zone).truncatedTo(unit);
    for (ZonedDateTime t = start; t.toInstant().isBefore(range.to()); t = next(t, unit)) {
      out.put(t.toInstant(), bucketJson(t.toInstant(), zone).mergeIn(counts(null)));
    }
    return out;
  }

  private static ZonedDateTime next(ZonedDateTime t, ChronoUnit unit) {
    // Days follow the calendar (23 or 25 hours across DST); hours follow the clock of the instant.
    return unit == ChronoUnit.DAYS ? t.plusDays(1).truncatedTo(ChronoUnit.DAYS) : t.plusHours(1);
  }

  private static JsonObject bucketJson(Instant start, ZoneId zone) {
    return new JsonObject()
        .put("start", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.atZone(zone)))
        .put("start_ts_utc", seconds(start));
  }

  private static JsonObject counts(Row row) {
    JsonObject c = new JsonObject();
    for (String name : new String[] {"full", "rolling", "none", "rejected", "total"}) {
      c.put(name, row == null ? 0L : row.getLong(name));
    }
    return c.put("compliance", row == null ? null : row.getDouble("compliance"));
  }

  void records(RoutingContext ctx) {
    Params p = Params.of(ctx);
    TimeRange range =
        TimeRange.closed(p.string("from"), p.string("to"), DEFAULT_SPAN, Instant.now());
    int limit = p.integer("limit", 10);
    String camera = p.string("camera");
    Future<RowSet<Row>> longest = best(range, camera, Verdict.FULL, "stop_duration", limit);
    Future<RowSet<Row>> fastest = best(range, camera, Verdict.NONE, "entry_speed", limit);
    Future<RowSet<Row>> rolling = best(range, camera, Verdict.ROLLING, "min_speed", limit);
    Future<RowSet<Row>> days = days(range, camera).recover(StatsHandler::unknownZone);
    Future.all(longest, fastest, rolling, days)
        .onSuccess(
            all ->
                ApiRouter.json(
                    ctx,
                    new JsonObject()
                        .put("from", seconds(range.from()))
                        .put("to", seconds(range.to()))
                        .put("longest_stops", passes(longest.result()))
                        .put("fastest_no_stops", passes(fastest.result()))
                        .put("fastest_rolling", passes(rolling.result()))
                        .put("timezone", defaultZone.getId())
                        .put("best_days", ranked(days.result(), limit, false))
                        .put("worst_days", ranked(days.result(), limit, true))))
        .onFailure(ctx::fail);
  }

  /**
   * Verdict counts per local day of the configured zone, days with no counted pass left out; a
   * range holds a few hundred days at most, so they are ranked here.
   */
  private Future<RowSet<Row>> days(TimeRange range, String camera) {
    Where where = new Where();
    String day =
        "date_trunc('day', ts_utc, " + where.param(TimeZones.postgresName(defaultZone)) + "::text)";
    where
        .and("ts_utc >= ?", range.fromUtc())
        .and("ts_utc < ?", range.toUtc())
        .andIf(camera, "camera = ?");
    String sql =
        "SELECT day, "
            + COUNTS
            + " FROM (SELECT "
            + day
            + " AS day, verdict FROM passes"
            + where.sql()
            + ") AS p GROUP BY day HAVING count(*) FILTER (WHERE verdict <> 'rejected') > 0";
    return pool.preparedQuery(sql).execute(where.params());
  }

  /** Days by compliance, best (or worst) first; ties go to the day with more counted passes. */
  private JsonArray ranked(RowSet<Row> rows, int limit, boolean worst) {
    List<JsonObject> days = new ArrayList<>();
    for (Row row : rows) {
      Instant start = row.getOffsetDateTime("day").toInstant();
      days.add(bucketJson(start, defaultZone).mergeIn(counts(row)));
    }
    Comparator<JsonObject> byCompliance = Comparator.comparing(d -> d.getDouble("compliance"));
    Comparator<JsonObject> order =
        (worst ? byCompliance : byCompliance.reversed())
            .thenComparing(d -> -(d.getLong("total") - d.getLong("rejected")))
            .thenComparing(d -> d.getDouble("start_ts_utc"));
    days.sort(order);
    return new JsonArray(List.copyOf(days.subList(0, Math.min(limit, days.size()))));
  }

  /**
   * The passes of one verdict with the highest value of {@code column} (a constant, never input).
   */
  private Future<RowSet<Row>> best(
      TimeRange range, String camera, Verdict verdict, String column, int limit) {
    Where where =
        new Where()
            .and("verdict = ?", verdict.wire())
            .and("ts_utc >= ?", range.fromUtc())
            .and("ts_utc < ?", range.toUtc())
            .andIf(camera, "camera = ?");
    String sql =
        "SELECT "
            + PassJson.COLUMNS
            + " FROM passes"
            + where.sql()
            + " ORDER BY "
            + column
            + " DESC, ts_utc DESC, id DESC LIMIT "
            + where.param(limit);
    return pool.preparedQuery(sql).execute(where.params());
  }

  private static JsonArray passes(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(row -> out.add(PassJson.of(row)));
    return out;
  }

  private static Future<RowSet<Row>> unknownZone(Throwable failure) {
    if (failure instanceof PgException pg && "22023".equals(pg.getSqlState())) {
      return Future.failedFuture(
          ApiException.badRequest("bad_timezone", "The database does not know this time zone."));
    }
    return Future.failedFuture(failure);
  }

  static double seconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }
}
