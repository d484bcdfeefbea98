package io.stopsign.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /passes?format=csv: the passes of the filters, newest first, streamed from a database cursor
 * (a few hundred rows in memory at a time, the socket's back-pressure pausing the cursor) and cut
 * at {@link #MAX_ROWS}.
 */
final class PassesCsv {
  private static final Logger LOG = LoggerFactory.getLogger(PassesCsv.class);

  /** The most rows one download holds; a longer range is cut, and the header says so. */
  static final int MAX_ROWS = 200_000;

  static final String HEADER =
      "id,camera,run_id,track_id,exit_utc,entry_utc,verdict,time_in_zone_s,stop_duration_s,"
          + "min_speed,entry_speed,speed_unit,reason,snapshot_url\r\n";

  private PassesCsv() {}

  /** Streams the rows of {@code where} (filters only; no cursor or limit in it). */
  static void stream(RoutingContext ctx, Pool pool, Where where) {
    String sql = PassJson.newestFirst(where, MAX_ROWS);
    HttpServerResponse response = ctx.response();
    // A cursor needs a transaction; it only reads.
    pool.withTransaction(
            conn ->
                conn.prepare(sql)
                    .compose(
                        statement -> {
                          RowStream<Row> rows = statement.createStream(500, where.params());
                          response
                              .setChunked(true)
                              .putHeader("content-type", "text/csv; charset=utf-8")
                              .putHeader("cache-control", "no-store")
                              .putHeader(
                                  "content-disposition",
                                  "attachment; filename=\"" + fileName() + "\"")
                              .putHeader("x-row-limit", String.valueOf(MAX_ROWS));
                          response.write(HEADER);
                          return pipe(rows, response);
                        }))
        .onSuccess(v -> response.end())
        .onFailure(
            failure -> {
              if (response.headWritten()) {
                // Half a file must not look whole: cut the connection instead of ending it.
                LOG.warn("CSV export failed after its start: {}", failure.toString());
                response.reset();
              } else {
                ctx.fail(failure);
              }
            });
  }

  private static Future<Void> pipe(RowStream<Row> rows, HttpServerResponse response) {
    Promise<Void> done = Promise.promise();
    response.closeHandler(v -> done.tryFail("the client went away"));
    rows.exceptionHandler(done::tryFail);
    rows.endHandler(v -> done.tryComplete());
    rows.handler(
        row -> {
          response.write(line(row));
          if (response.writeQueueFull()) {
            rows.pause();
            response.drainHandler(v -> rows.resume());
          }
        });
    return done.future().eventually(rows::close);
  }

  static String line(Row row) {
    String id = row.getUUID("id").toString();
    StringBuilder out = new StringBuilder(200);
    field(out, id);
    field(out, row.getString("camera"));
    field(out, row.getUUID("run_id").toString());
    field(out, String.valueOf(row.getLong("track_id")));
    field(out, time(row.getOffsetDateTime("ts_utc")));
    field(out, time(row.getOffsetDateTime("entry_ts_utc")));
    field(out, row.getString("verdict"));
    field(out, number(PassJson.real(row.getFloat("time_in_zone"))));
    field(out, number(PassJson.real(row.getFloat("stop_duration"))));
    field(out, number(PassJson.real(row.getFloat("min_speed"))));
    field(out, number(PassJson.real(row.getFloat("entry_speed"))));
    field(out, row.getString("speed_unit"));
    field(out, row.getString("reason"));
    out.append(row.getString("snapshot") == null ? "" : "/api/passes/" + id + "/snapshot");
    return out.append("\r\n").toString();
  }

  /** One RFC 4180 field and its comma; text a spreadsheet would run as a formula is defused. */
  static void field(StringBuilder out, String value) {
    if (value != null) {
      String v = value;
      if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
        v = "'" + v;
      }
      if (v.indexOf(',') >= 0
          || v.indexOf('"') >= 0
          || v.indexOf('\n') >= 0
          || v.indexOf('\r') >= 0) {
        v = '"' + v.replace("\"", "\"\"") + '"';
      }
      out.append(v);
    }
    out.append(',');
  }

  private static String number(Double v) {
    return v == null ? null : v.toString();
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
  }

  private static String fileName() {
    return "stopsign-passes-" + Instant.now().getEpochSecond() + ".csv";
  }
}
