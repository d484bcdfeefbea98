package io.stopsign.bus;

import io.vertx.core.json.JsonObject;

/**
 * A message record that crosses the cluster as JSON ({@link JsonCodec}): consumers that store or
 * forward the JSON form take it from here, whichever record it is.
 */
public interface JsonMessage {
  JsonObject toJson();

  /** The JSON of a bus body: a record's JSON form, a JsonObject as is, null for anything else. */
  static JsonObject jsonOf(Object body) {
    if (body instanceof JsonMessage record) {
      return record.toJson();
    }
    return body instanceof JsonObject json ? json : null;
  }
}
