package io.stopsign.persist;

import io.vertx.core.json.JsonObject;

/**
 * One unit of work for the writer, and one line of the spool: a batch of detections (with the
 * tracks they update), or one validated pass, event or session-metrics row.
 */
record PersistRecord(PersistRecord.Kind kind, DetectionRows detections, JsonObject row) {

  enum Kind {
    DETECTIONS("detections", true),
    PASS("pass", false),
    EVENT("event", false),
    SESSION_METRICS("session_metrics", true);

    final String wire;

    /**
     * Sheddable kinds give way first when the spool fills; the others are never dropped silently.
     */
    final boolean sheddable;

    Kind(String wire, boolean sheddable) {
      this.wire = wire;
      this.sheddable = sheddable;
    }

    static Kind fromWire(String wire) {
      for (Kind k : values()) {
        if (k.wire.equals(wire)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown spool record kind: " + wire);
    }
  }

  static PersistRecord detections(DetectionRows rows) {
    return new PersistRecord(Kind.DETECTIONS, rows, null);
  }

  static PersistRecord of(Kind kind, JsonObject row) {
    return new PersistRecord(kind, null, row);
  }

  /** Rows this record writes to its main table. */
  int rows() {
    return detections != null ? detections.size() : 1;
  }

  /** The spool line, without its newline. */
  String toLine() {
    JsonObject data = detections != null ? detections.toJson() : row;
    return new JsonObject().put("kind", kind.wire).put("data", data).encode();
  }

  /** Parses a spool line; throws on a damaged one (e.g. torn by a crash mid-write). */
  static PersistRecord fromLine(String line) {
    JsonObject json = new JsonObject(line);
    Kind kind = Kind.fromWire(json.getString("kind"));
    JsonObject data = json.getJsonObject("data");
    if (data == null) {
      throw new IllegalArgumentException("spool line without data");
    }
    return kind == Kind.DETECTIONS ? detections(DetectionRows.fromJson(data)) : of(kind, data);
  }
}
