package io.stopsign.judge;

import java.util.Arrays;
import java.util.List;

/**
 * The verdict of one pass through the stop zone, spelled the same everywhere (DB, API, WebSocket,
 * CLI). Compliance has ONE definition, here: full / (full + rolling + none); rejected never counts.
 */
public enum Verdict {
  FULL("full"),
  ROLLING("rolling"),
  NONE("none"),
  REJECTED("rejected");

  /** The compliance rate as SQL over a {@code verdict} column, for every query that reports it. */
  public static final String COMPLIANCE_SQL =
      "(count(*) FILTER (WHERE verdict = 'full'))::float8"
          + " / NULLIF(count(*) FILTER (WHERE verdict IN ('full','rolling','none')), 0)";

  private final String wire;

  Verdict(String wire) {
    this.wire = wire;
  }

  /** The lower-case name used on the wire and in the database. */
  public String wire() {
    return wire;
  }

  public boolean counts() {
    return this != REJECTED;
  }

  /** Compliance rate from counts; NaN when no counted pass exists. */
  public static double compliance(long full, long rolling, long none) {
    long counted = full + rolling + none;
    return counted == 0 ? Double.NaN : (double) full / counted;
  }

  public static Verdict fromWire(String value) {
    for (Verdict v : values()) {
      if (v.wire.equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown verdict " + value + ", allowed: " + Arrays.toString(wires().toArray()));
  }

  public static List<String> wires() {
    return Arrays.stream(values()).map(Verdict::wire).toList();
  }
}
