package io.stopsign.media;

import io.vertx.core.json.JsonObject;

/**
 * Asks a camera's decoder to write the full-resolution frame {@code seq} (or the nearest it still
 * holds) as JPEG at {@code path}, relative to the data directory. Local to the analyzer JVM.
 */
public record SnapshotRequest(long seq, String path) {

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("path", path);
  }

  /**
   * Reads {@link #toJson()}'s shape back.
   *
   * @throws IllegalArgumentException when seq is missing or not a number
   */
  public static SnapshotRequest fromJson(JsonObject json) {
    Object seq = json == null ? null : json.getValue("seq");
    if (!(seq instanceof Number n)) {
      throw new IllegalArgumentException("seq is required");
    }
    return new SnapshotRequest(n.longValue(), json.getValue("path") instanceof String s ? s : null);
  }
}
