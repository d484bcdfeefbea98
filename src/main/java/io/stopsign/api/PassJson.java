package io.stopsign.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** Rows of {@code passes} as the pass JSON of the contract (the same shape as the WebSocket's). */
final class PassJson {
  /** Columns of a pass without its trajectory, in the order {@link #of(Row)} reads them. */
  static final String COLUMNS =
      "id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict, time_in_zone, stop_duration,"
          + " min_speed, entry_speed, speed_unit, reason, snapshot";

  /** The passes {@code where} selects, newest first, at most {@code limit} of them. */
  static String newestFirst(Where where, int limit) {
    // where.sql() before where.param(): the limit is the last placeholder
    return "SELECT "
        + COLUMNS
        + " FROM passes"
        + where.sql()
        + " ORDER BY ts_utc DESC, id DESC LIMIT "
        + where.param(limit);
  }

  static JsonObject of(Row row) {
    String id = row.getUUID("id").toString();
    String snapshot = row.getString("snapshot");
    return new JsonObject()
        .put("type", "pass")
        .put("id", id)
        .put("camera", row.getString("camera"))
        .put("run_id", row.getUUID("run_id").toString())
        .put("track_id", row.getLong("track_id"))
        .put("ts_utc", epochSeconds(row.getOffsetDateTime("ts_utc")))
        .put("entry_ts_utc", epochSeconds(row.getOffsetDateTime("entry_ts_utc")))
        .put("verdict", row.getString("verdict"))
        .put("time_in_zone", real(row.getFloat("time_in_zone")))
        .put("stop_duration", real(row.getFloat("stop_duration")))
        .put("min_speed", real(row.getFloat("min_speed")))
        .put("entry_speed", real(row.getFloat("entry_speed")))
        .put("speed_unit", row.getString("speed_unit"))
        .put("reason", row.getString("reason"))
        .put("snapshot", snapshot)
        .put("snapshot_url", snapshot == null ? null : "/api/passes/" + id + "/snapshot");
  }

  /** The pass with its trajectory ({@code trajectory} column). */
  static JsonObject withTrajectory(Row row) {
    Object trajectory = row.getValue("trajectory");
    return of(row).put("trajectory", trajectory instanceof JsonArray a ? a : new JsonArray());
  }

  static Double epochSeconds(OffsetDateTime t) {
    if (t == null) {
      return null;
    }
    return t.toEpochSecond() + t.getNano() / 1e9;
  }

  /**
   * A real column as the short decimal it was written as, not its widened double (0.3, not
   * 0.30000001).
   */
  static Double real(Float f) {
    return f == null ? null : Double.valueOf(Float.toString(f));
  }

  private PassJson() {}
}
