package io.stopsign.camera;

import io.stopsign.config.ConfigException;

/**
 * A {@link JudgeConfig} compiled for per-frame use: zone, lines and calibration as objects, plus
 * where a sample lies. Immutable; built once per configuration.
 */
public final class JudgeGeometry {
  private final JudgeConfig config;
  private final StopZone zone;
  private final LineSegment gate;
  private final LineSegment capture;
  private final double[] gateNormal;

  private JudgeGeometry(JudgeConfig config, StopZone zone, LineSegment gate, LineSegment capture) {
    this.config = config;
    this.zone = zone;
    this.gate = gate;
    this.capture = capture;
    this.gateNormal =
        gate == null || zone == null ? null : gate.normalToward(zone.centerX(), zone.centerY());
  }

  /** Validates with keys named from the bare config keys ({@code stop_zone}, ...). */
  public static JudgeGeometry of(JudgeConfig config) {
    return of(config, "");
  }

  /**
   * Validates and compiles; {@code prefix} is prepended to key names in errors ("cameras[0].").
   *
   * @throws ConfigException for a degenerate, self-intersecting or non-convex zone, a bad line, or
   *     a pre-stop line through the zone's middle
   */
  public static JudgeGeometry of(JudgeConfig config, String prefix) {
    StopZone zone =
        config.stopZone().isEmpty() ? null : StopZone.of(config.stopZone(), prefix + "stop_zone");
    LineSegment gate =
        config.preStopLine().isEmpty()
            ? null
            : LineSegment.of(config.preStopLine(), prefix + "pre_stop_line");
    LineSegment capture =
        config.captureLine().isEmpty()
            ? null
            : LineSegment.of(config.captureLine(), prefix + "capture_line");
    if (gate != null
        && zone != null
        && Math.abs(gate.side(zone.centerX(), zone.centerY()))
            < 1e-6 * gate.length() * gate.length()) {
      throw new ConfigException(
          prefix + "pre_stop_line",
          Geometry.describe(config.preStopLine()),
          "must lie on the approach side of the stop zone, not through its middle");
    }
    return new JudgeGeometry(config, zone, gate, capture);
  }

  public JudgeConfig config() {
    return config;
  }

  public Thresholds thresholds() {
    return config.thresholds();
  }

  public boolean hasZone() {
    return zone != null;
  }

  public boolean inZone(Sample s) {
    return zone != null && zone.contains(s.groundX(), s.groundY());
  }

  /** Time at which the move from a to b crosses the zone boundary (entering or leaving). */
  public double crossingTime(Sample a, Sample b, boolean entering) {
    double u = zone.crossing(a.groundX(), a.groundY(), b.groundX(), b.groundY(), entering);
    return a.t() + u * (b.t() - a.t());
  }

  /** Whether the move from a to b passes through the zone (starting, ending or wholly inside). */
  public boolean touches(Sample a, Sample b) {
    return zone != null && zone.chord(a.groundX(), a.groundY(), b.groundX(), b.groundY()) != null;
  }

  /**
   * Ground distance from where the move from {@code entryFrom} to {@code entryTo} comes into the
   * zone to where the move from {@code exitFrom} to {@code exitTo} leaves it: how much of the zone
   * the vehicle crossed; 0 when a point cannot be mapped.
   */
  public double crossedLength(Sample entryFrom, Sample entryTo, Sample exitFrom, Sample exitTo) {
    double[] a = boundaryPoint(entryFrom, entryTo, true);
    double[] b = boundaryPoint(exitFrom, exitTo, false);
    return a == null || b == null ? 0 : Math.hypot(b[0] - a[0], b[1] - a[1]);
  }

  private double[] boundaryPoint(Sample a, Sample b, boolean entering) {
    double u = zone.crossing(a.groundX(), a.groundY(), b.groundX(), b.groundY(), entering);
    double x = a.groundX() + u * (b.groundX() - a.groundX());
    double y = a.groundY() + u * (b.groundY() - a.groundY());
    GroundCalibration c = config.calibration();
    return c == null ? new double[] {x, y} : c.toGround(x, y);
  }

  /**
   * Ground point in the speed unit's space: metres with a calibration, else pixels; null if
   * unmappable.
   */
  public double[] ground(Sample s) {
    GroundCalibration c = config.calibration();
    return c == null
        ? new double[] {s.groundX(), s.groundY()}
        : c.toGround(s.groundX(), s.groundY());
  }

  /** The pre-stop line, or null when none is configured (every direction counts). */
  public LineSegment gate() {
    return gate;
  }

  /** Unit normal of the pre-stop line pointing into the zone, or null. */
  public double[] gateNormal() {
    return gateNormal;
  }

  /**
   * Whether the move from a to b crosses the pre-stop line from its approach side to the zone's.
   */
  public boolean crossesGateForward(Sample a, Sample b) {
    if (gate == null || gateNormal == null) {
      return false;
    }
    double zoneSide = gate.side(zone.centerX(), zone.centerY());
    return gate.side(a.groundX(), a.groundY()) * zoneSide < 0
        && gate.side(b.groundX(), b.groundY()) * zoneSide >= 0
        && gate.crossedBy(a.groundX(), a.groundY(), b.groundX(), b.groundY());
  }

  /** Whether the move from a to b crosses the capture line (either way). */
  public boolean crossesCapture(Sample a, Sample b) {
    return capture != null && capture.crossedBy(a.groundX(), a.groundY(), b.groundX(), b.groundY());
  }
}
