package io.stopsign.api;

import io.stopsign.judge.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GET /passes (keyset pages), GET /passes/{id} (with its clip, if any) and its snapshot. */
final class PassesHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PassesHandler.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Path dataDir;
  private final CameraGeometries geometries;

  PassesHandler(Vertx vertx, Pool pool, Path dataDir, CameraGeometries geometries) {
    this.vertx = vertx;
    this.pool = pool;
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.geometries = geometries;
  }

  void list(RoutingContext ctx) {
    Params p = Params.of(ctx);
    TimeRange range = TimeRange.open(p.string("from"), p.string("to"));
    int limit = p.integer("limit", 50);
    String cursor = p.string("cursor");
    PassCursor after = cursor == null ? null : PassCursor.decode(cursor);
    List<String> verdicts = verdicts(p.strings("verdict"));
    Where where =
        new Where()
            .andIf(p.string("camera"), "camera = ?")
            .andIf(range.fromUtc(), "ts_utc >= ?")
            .andIf(range.toUtc(), "ts_utc < ?");
    if (!verdicts.isEmpty()) {
      where.and("verdict = ANY(?)", (Object) verdicts.toArray(String[]::new));
    }
    if ("csv".equals(p.string("format"))) {
      // The whole filtered range in one file: cursor and limit are for pages only.
      PassesCsv.stream(ctx, pool, where);
      return;
    }
    if (after != null) {
      where.and("(ts_utc, id) < (?, ?)", after.ts(), after.id());
    }
    String sql = PassJson.newestFirst(where, limit + 1);
    pool.preparedQuery(sql)
        .execute(where.params())
        .onSuccess(rows -> ApiRouter.json(ctx, page(rows, limit)))
        .onFailure(ctx::fail);
  }

  /**
   * The contract already limits verdicts to the enum; this keeps Verdict the one source of truth.
   */
  private static List<String> verdicts(List<String> wires) {
    try {
      return wires.stream().map(Verdict::fromWire).map(Verdict::wire).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "bad_verdict", "verdict must be one of " + String.join(", ", Verdict.wires()) + ".");
    }
  }

  private static JsonObject page(RowSet<Row> rows, int limit) {
    JsonArray items = new JsonArray();
    String next = null;
    Row lastKept = null;
    for (Row row : rows) {
      if (items.size() == limit) {
        // One row more than asked for: there is a next page, starting after the last one kept.
        next =
            new PassCursor(lastKept.getOffsetDateTime("ts_utc"), lastKept.getUUID("id")).encode();
        break;
      }
      items.add(PassJson.of(row));
      lastKept = row;
    }
    return new JsonObject().put("items", items).put("next_cursor", next);
  }

  void get(RoutingContext ctx) {
    UUID id = Params.of(ctx).passId();
    pool.preparedQuery("SELECT " + PassJson.COLUMNS + ", trajectory FROM passes WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                throw ApiException.notFound("No pass has the id " + id + ".");
              }
              JsonObject pass = PassJson.withTrajectory(rows.iterator().next());
              return geometries
                  .current(pass.getString("camera"))
                  .compose(
                      judge ->
                          vertx.executeBlocking(
                              () ->
                                  pass.put(
                                          "scoring",
                                          PassScoring.of(judge, pass.getValue("trajectory")))
                                      .put(
                                          "clip",
                                          PassClipHandler.describe(
                                              dataDir, pass.getString("camera"), id)),
                              false));
            })
        .onSuccess(pass -> ApiRouter.json(ctx, pass))
        .onFailure(ctx::fail);
  }

  /** Serves the JPEG whose path the row holds, only from inside the data directory. */
  void snapshot(RoutingContext ctx) {
    UUID id = Params.of(ctx).passId();
    pool.preparedQuery("SELECT snapshot FROM passes WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                throw ApiException.notFound("No pass has the id " + id + ".");
              }
              String stored = rows.iterator().next().getString("snapshot");
              if (stored == null) {
                throw ApiException.notFound("Pass " + id + " has no snapshot.");
              }
              return vertx.executeBlocking(() -> locate(id, stored), false);
            })
        .compose(
            file ->
                ctx.response()
                    .putHeader("content-type", "image/jpeg")
                    .putHeader("cache-control", "private, max-age=86400")
                    .sendFile(file.toString()))
        .onFailure(ctx::fail);
  }

  /**
   * The real file of a stored snapshot path, refused when it leaves the data directory. Blocking.
   */
  Path locate(UUID id, String stored) throws IOException {
    Path relative;
    try {
      relative = Path.of(stored);
    } catch (InvalidPathException e) {
      throw outside(id, stored);
    }
    Path file = dataDir.resolve(relative).normalize();
    if (relative.isAbsolute() || !file.startsWith(dataDir)) {
      throw outside(id, stored);
    }
    if (!Files.isRegularFile(file)) {
      throw ApiException.notFound("The snapshot of pass " + id + " is no longer on disk.");
    }
    // Symbolic links could still lead out: compare real paths too.
    Path real = file.toRealPath();
    if (!real.startsWith(dataDir.toRealPath())) {
      throw outside(id, stored);
    }
    return real;
  }

  private static ApiException outside(UUID id, String stored) {
    LOG.warn(
        "refused the snapshot of pass {}: its path {} lies outside the data directory", id, stored);
    return new ApiException(
        403, "forbidden", "The snapshot of pass " + id + " lies outside the data directory.");
  }
}
