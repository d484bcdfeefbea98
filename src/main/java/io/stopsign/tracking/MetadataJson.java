package io.stopsign.tracking;

import io.stopsign.judge.TrackState;
import java.util.List;

/**
 * Writes {@link FrameMetadata#toJson()}'s message text directly, character for character what
 * Vert.x's Jackson encoder gives for it, into a builder reused by each thread: the WebSocket hub
 * encodes every frame of every camera, and building a JsonObject tree first cost about 10 kB of
 * garbage per frame where this costs the final String only.
 */
final class MetadataJson {
  private static final ThreadLocal<StringBuilder> BUILDER =
      ThreadLocal.withInitial(() -> new StringBuilder(1024));
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static String encode(FrameMetadata m) {
    StringBuilder out = BUILDER.get();
    out.setLength(0);
    out.append("{\"ts_utc\":").append(Math.round(m.tsUtc() * 1000) / 1000.0);
    out.append(",\"frame\":").append(m.frame());
    out.append(",\"camera\":");
    string(out, m.camera());
    out.append(",\"run_id\":");
    string(out, m.runId());
    out.append(",\"tracks\":[");
    List<TrackState> tracks = m.tracks();
    for (int i = 0; i < tracks.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      track(out, tracks.get(i));
    }
    out.append("],\"zones\":{\"stop\":[");
    List<double[]> zone = m.stopZone();
    for (int i = 0; i < zone.size(); i++) {
      double[] p = zone.get(i);
      out.append(i > 0 ? ",[" : "[").append(p[0]).append(',').append(p[1]).append(']');
    }
    out.append("]},\"raw_dimensions\":{\"w\":").append(m.rawWidth());
    out.append(",\"h\":").append(m.rawHeight());
    out.append("},\"scaled_dimensions\":{\"w\":").append(m.scaledWidth());
    out.append(",\"h\":").append(m.scaledHeight());
    out.append("},\"speed_unit\":");
    string(out, m.speedUnit());
    out.append('}');
    String text = out.toString();
    if (out.capacity() > 1 << 16) {
      BUILDER.remove(); // one huge frame does not pin its buffer for good
    }
    return text;
  }

  /** As {@link TrackState#toJson()}. */
  private static void track(StringBuilder out, TrackState t) {
    out.append("{\"id\":").append(t.id());
    out.append(",\"bbox\":[").append(round1(t.x1())).append(',').append(round1(t.y1()));
    out.append(',').append(round1(t.x2())).append(',').append(round1(t.y2()));
    out.append("],\"cls\":");
    string(out, t.cls());
    out.append(",\"score\":").append(Math.round(t.score() * 1000) / 1000.0);
    out.append(",\"speed\":");
    if (Double.isFinite(t.speed())) {
      out.append(Math.round(t.speed() * 100) / 100.0);
    } else {
      out.append("null");
    }
    out.append(",\"direction\":").append(Math.round(t.direction() * 1000) / 1000.0);
    out.append(",\"is_parked\":").append(t.parked());
    out.append(",\"in_zone\":").append(t.inZone()).append('}');
  }

  private static double round1(float v) {
    return Math.round(v * 10) / 10.0;
  }

  /** A JSON string as Jackson escapes it: quote, backslash and control characters. */
  private static void string(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private MetadataJson() {}
}
