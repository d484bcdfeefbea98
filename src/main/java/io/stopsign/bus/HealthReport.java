package io.stopsign.bus;

import io.vertx.core.json.JsonObject;

/**
 * One readiness check as seen by the node that owns it, published on {@link Addresses#HEALTH} so
 * that any web node can serve /ready for the whole cluster.
 *
 * @param check the check's name ({@code camera.cam1}, {@code db}, {@code cluster.<node>})
 * @param node the node that made the report
 * @param up whether the check passes
 * @param data what the check is based on (state, reason, ...)
 * @param tsUtc when the node looked, seconds since the epoch (UTC)
 */
public record HealthReport(String check, String node, boolean up, JsonObject data, double tsUtc) {

  public HealthReport {
    data = data == null ? new JsonObject() : data.copy();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("check", check)
        .put("node", node)
        .put("up", up)
        .put("data", data)
        .put("ts_utc", tsUtc);
  }

  public static HealthReport fromJson(JsonObject json) {
    String check = json.getString("check");
    if (check == null || check.isEmpty()) {
      throw new IllegalArgumentException("a health report needs a check name");
    }
    return new HealthReport(
        check,
        json.getString("node", ""),
        json.getBoolean("up", false),
        json.getJsonObject("data"),
        json.getDouble("ts_utc", 0.0));
  }
}
