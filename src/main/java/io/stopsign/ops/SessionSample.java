package io.stopsign.ops;

import io.stopsign.bus.JsonMessage;
import io.vertx.core.json.JsonObject;

/**
 * One camera's session metrics over the last few seconds, published on {@code
 * Addresses.SESSION_METRICS} and stored in {@code session_metrics}.
 *
 * @param tsUtc when it was measured, epoch seconds
 * @param queueDrops frames and detections dropped by the camera's queues in the interval
 * @param cpu process CPU in cores over the interval
 */
public record SessionSample(
    double tsUtc,
    String camera,
    String runId,
    double fpsDecode,
    double fpsInfer,
    double latencyMsP50,
    double latencyMsP95,
    long queueDrops,
    double cpu)
    implements JsonMessage {

  public SessionSample {
    if (camera == null || camera.isBlank() || runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("session metrics need a camera and a run_id");
    }
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("ts_utc", tsUtc)
        .put("camera", camera)
        .put("run_id", runId)
        .put("fps_decode", fpsDecode)
        .put("fps_infer", fpsInfer)
        .put("latency_ms_p50", latencyMsP50)
        .put("latency_ms_p95", latencyMsP95)
        .put("queue_drops", queueDrops)
        .put("cpu", cpu);
  }

  /**
   * Reads {@link #toJson()}'s shape back.
   *
   * @throws IllegalArgumentException naming what is missing or wrong
   */
  public static SessionSample fromJson(JsonObject json) {
    try {
      return new SessionSample(
          number(json, "ts_utc"),
          json.getString("camera"),
          json.getString("run_id"),
          number(json, "fps_decode"),
          number(json, "fps_infer"),
          number(json, "latency_ms_p50"),
          number(json, "latency_ms_p95"),
          (long) number(json, "queue_drops"),
          number(json, "cpu"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("session metrics: wrong type: " + e.getMessage());
    }
  }

  private static double number(JsonObject json, String key) {
    Number v = json.getNumber(key);
    if (v == null) {
      throw new IllegalArgumentException("session metrics: " + key + " is missing");
    }
    return v.doubleValue();
  }
}
