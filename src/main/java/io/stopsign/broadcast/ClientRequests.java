package io.stopsign.broadcast;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a browser may send on the WebSocket: {@code {"type":"subscribe","cameras":[..]}} and {@code
 * {"type":"ping"}} (or the bare text {@code ping}). Everything else earns an error reply.
 */
final class ClientRequests {
  /** Longest text message a client may send; longer closes the socket (policy violation). */
  static final int MAX_MESSAGE_CHARS = 4096;

  static final short POLICY_VIOLATION = 1008;

  private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MAX_CAMERAS = 64;

  /** A valid camera filter, or an error message for the client. */
  record Filter(Set<String> cameras, String error) {}

  /** Checks a camera list from the query string or a subscribe message. */
  static Filter cameras(Iterable<?> ids) {
    Set<String> out = new LinkedHashSet<>();
    for (Object id : ids) {
      if (!(id instanceof String s) || !CAMERA_ID.matcher(s).matches()) {
        return new Filter(
            Set.of(), "camera ids are 1-64 letters, digits, '_' or '-'; got " + clip(id));
      }
      out.add(s);
      if (out.size() > MAX_CAMERAS) {
        return new Filter(Set.of(), "at most " + MAX_CAMERAS + " cameras per subscription");
      }
    }
    return new Filter(Set.copyOf(out), null);
  }

  /**
   * The reply to one client text message (never null). Applies a valid subscription to the client.
   */
  static JsonObject handle(WsClient client, String text) {
    if (text.strip().equals("ping")) {
      return pong();
    }
    JsonObject request;
    try {
      request = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return error(
          "expected a JSON object such as {\"type\":\"subscribe\",\"cameras\":[\"cam1\"]}");
    }
    Object type = request.getValue("type");
    if ("ping".equals(type)) {
      return pong();
    }
    if (!"subscribe".equals(type)) {
      return error("unknown message type " + clip(type) + "; allowed: subscribe, ping");
    }
    Object list = request.getValue("cameras");
    if (list == null) {
      list = new JsonArray();
    }
    if (!(list instanceof JsonArray array)) {
      return error("cameras must be a list of camera ids (empty = all cameras)");
    }
    Filter filter = cameras(array);
    if (filter.error() != null) {
      return error(filter.error());
    }
    client.cameras(filter.cameras());
    return subscribed(filter.cameras());
  }

  static JsonObject subscribed(Set<String> cameras) {
    return new JsonObject()
        .put("type", "subscribed")
        .put("cameras", new JsonArray(cameras.stream().sorted().toList()));
  }

  static JsonObject error(String detail) {
    return new JsonObject().put("type", "error").put("detail", detail);
  }

  private static JsonObject pong() {
    return new JsonObject().put("type", "pong").put("ts_utc", System.currentTimeMillis() / 1000.0);
  }

  private static String clip(Object value) {
    String s = String.valueOf(value);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private ClientRequests() {}
}
