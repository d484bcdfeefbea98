package io.stopsign.persist;

import io.stopsign.judge.Verdict;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * Checks the pass, event and session-metrics messages against their contracts before anything is
 * written or spooled: a bad message is refused with a message naming the field, so it can never
 * block a spool replay later.
 */
final class IncomingRows {
  /** Pass fields stored in their own columns; any other field is kept in {@code metrics}. */
  private static final Set<String> PASS_COLUMNS =
      Set.of(
          "type",
          "id",
          "camera",
          "run_id",
          "track_id",
          "ts_utc",
          "entry_ts_utc",
          "verdict",
          "time_in_zone",
          "stop_duration",
          "min_speed",
          "entry_speed",
          "speed_unit",
          "reason",
          "trajectory",
          "snapshot",
          "snapshot_url");

  /** A row for {@code passes}; throws IllegalArgumentException naming the bad field. */
  static JsonObject pass(JsonObject in) {
    String verdict = string(in, "verdict");
    if (!Verdict.wires().contains(verdict)) {
      throw bad("verdict", verdict, "allowed: " + String.join(", ", Verdict.wires()));
    }
    JsonArray trajectory = in.getValue("trajectory") instanceof JsonArray a ? a : null;
    if (trajectory == null) {
      throw bad("trajectory", in.getValue("trajectory"), "must be an array of [t,x1,y1,x2,y2]");
    }
    JsonObject metrics = new JsonObject();
    in.forEach(
        e -> {
          if (!PASS_COLUMNS.contains(e.getKey())) {
            metrics.put(e.getKey(), e.getValue());
          }
        });
    return new JsonObject()
        .put("id", uuid(in, "id"))
        .put("camera", string(in, "camera"))
        .put("run_id", uuid(in, "run_id"))
        .put("track_id", integer(in, "track_id"))
        .put("ts_utc", timestamp(in, "ts_utc"))
        .put("entry_ts_utc", timestamp(in, "entry_ts_utc"))
        .put("verdict", verdict)
        .put("time_in_zone", number(in, "time_in_zone"))
        .put("stop_duration", number(in, "stop_duration"))
        .put("min_speed", number(in, "min_speed"))
        .put("entry_speed", number(in, "entry_speed"))
        .put("speed_unit", string(in, "speed_unit"))
        .put("reason", optionalString(in, "reason"))
        .put("metrics", metrics)
        .put("trajectory", trajectory)
        .put("snapshot", optionalString(in, "snapshot"));
  }

  /** A row for {@code events}. */
  static JsonObject event(JsonObject in) {
    Object payload = in.getValue("payload");
    if (payload != null && !(payload instanceof JsonObject)) {
      throw bad("payload", payload, "must be a JSON object");
    }
    Object track = in.getValue("track_id");
    return new JsonObject()
        .put("id", uuid(in, "id"))
        .put("ts_utc", timestamp(in, "ts_utc"))
        .put("camera", string(in, "camera"))
        .put("kind", string(in, "kind"))
        .put("track_id", track == null ? null : integer(in, "track_id"))
        .put("payload", payload == null ? new JsonObject() : payload);
  }

  /** A row for {@code session_metrics}. */
  static JsonObject sessionMetrics(JsonObject in) {
    return new JsonObject()
        .put("ts_utc", timestamp(in, "ts_utc"))
        .put("camera", string(in, "camera"))
        .put("run_id", uuid(in, "run_id"))
        .put("fps_decode", number(in, "fps_decode"))
        .put("fps_infer", number(in, "fps_infer"))
        .put("latency_ms_p50", number(in, "latency_ms_p50"))
        .put("latency_ms_p95", number(in, "latency_ms_p95"))
        .put("queue_drops", integer(in, "queue_drops"))
        .put("cpu", number(in, "cpu"));
  }

  private static String string(JsonObject in, String key) {
    Object v = in.getValue(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw bad(key, v, "must be a non-empty string");
    }
    return s;
  }

  private static String optionalString(JsonObject in, String key) {
    Object v = in.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw bad(key, v, "must be a string or null");
    }
    return (String) v;
  }

  private static String uuid(JsonObject in, String key) {
    String s = string(in, key);
    try {
      return UUID.fromString(s).toString();
    } catch (IllegalArgumentException e) {
      throw bad(key, s, "must be a UUID");
    }
  }

  private static double number(JsonObject in, String key) {
    Object v = in.getValue(key);
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw bad(key, v, "must be a finite number");
    }
    return n.doubleValue();
  }

  private static long integer(JsonObject in, String key) {
    double d = number(in, key);
    if (d != Math.rint(d)) {
      throw bad(key, in.getValue(key), "must be an integer");
    }
    return (long) d;
  }

  /** Epoch seconds between 2000 and 2100. */
  private static double timestamp(JsonObject in, String key) {
    double t = number(in, key);
    if (t < 946_684_800 || t >= 4_102_444_800.0) {
      throw bad(key, t, "must be epoch seconds between 2000 and 2100");
    }
    return t;
  }

  private static IllegalArgumentException bad(String key, Object value, String allowed) {
    String shown = String.valueOf(value);
    if (shown.length() > 80) {
      shown = shown.substring(0, 80) + "...";
    }
    return new IllegalArgumentException(key + "=" + shown + ": " + allowed);
  }

  private IncomingRows() {}
}
