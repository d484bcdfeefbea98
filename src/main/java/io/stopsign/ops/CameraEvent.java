package io.stopsign.ops;

import io.stopsign.bus.JsonMessage;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One operational event of a camera (a source state change, ...), sent to persistence on {@code
 * Addresses.EVENTS} by request/reply and stored in {@code events}.
 *
 * @param tsUtc when it happened, epoch seconds
 * @param trackId the track it is about, or null
 * @param payload what the event says (state, reason, run_id, ...)
 */
public record CameraEvent(
    UUID id, double tsUtc, String camera, String kind, Long trackId, JsonObject payload)
    implements JsonMessage {

  public CameraEvent {
    if (id == null || camera == null || camera.isBlank() || kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("an event needs an id, a camera and a kind");
    }
    payload = payload == null ? new JsonObject() : payload.copy();
  }

  /** A new event happening now. */
  public static CameraEvent now(String camera, String kind, JsonObject payload) {
    return new CameraEvent(
        UUID.randomUUID(), System.currentTimeMillis() / 1000.0, camera, kind, null, payload);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("ts_utc", tsUtc)
        .put("camera", camera)
        .put("kind", kind)
        .put("track_id", trackId)
        .put("payload", payload.copy());
  }

  /**
   * Reads {@link #toJson()}'s shape back.
   *
   * @throws IllegalArgumentException naming what is missing or wrong
   */
  public static CameraEvent fromJson(JsonObject json) {
    try {
      String id = json.getString("id");
      Number ts = json.getNumber("ts_utc");
      if (id == null || ts == null) {
        throw new IllegalArgumentException("event: id and ts_utc are required");
      }
      return new CameraEvent(
          UUID.fromString(id),
          ts.doubleValue(),
          json.getString("camera"),
          json.getString("kind"),
          json.getLong("track_id"),
          json.getJsonObject("payload"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("event: a field has the wrong type: " + e.getMessage());
    }
  }
}
