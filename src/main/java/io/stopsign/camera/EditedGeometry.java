package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A geometry drawn in the zone editor ({@code PUT /api/cameras/{id}/geometry}): the config file's
 * checks (convex zone, two-point lines, a solvable calibration, a pre-stop line off the zone's
 * middle) plus what only a drawing can get wrong: every point inside the camera's frame, lines long
 * enough to be crossed, and a pre-stop line outside the zone and across the approach. The editor
 * page (js/zone-rules.js) checks the same with the same sentences.
 */
public final class EditedGeometry {
  static final Set<String> KEYS =
      Set.of("stop_zone", "pre_stop_line", "capture_line", "calibration");
  static final int MAX_ZONE_POINTS = 32;
  static final double MIN_LINE_PX = 10;
  // a gate closer than this to pointing at the zone runs along the approach, not across it
  static final double MIN_GATE_ANGLE_DEG = 20;

  /**
   * Parses and checks {@code body} against a {@code width} x {@code height} frame, and puts it over
   * {@code configured}'s thresholds.
   *
   * @throws IllegalArgumentException with one sentence naming the key and what is wrong
   */
  public static JudgeConfig parse(JsonObject body, JudgeConfig configured, int width, int height) {
    for (String key : body.fieldNames()) {
      if ("thresholds".equals(key)) {
        throw new IllegalArgumentException(
            "thresholds are not geometry: they come from the config file (try other values with"
                + " POST /api/passes/rescore)");
      }
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key '"
                + key
                + "': a geometry has stop_zone, pre_stop_line, capture_line and calibration");
      }
    }
    if (!(body.getValue("stop_zone") instanceof Iterable<?> zone) || !zone.iterator().hasNext()) {
      throw new IllegalArgumentException(
          "stop_zone is required: a convex polygon of 3 to " + MAX_ZONE_POINTS + " [x, y] points");
    }
    JudgeConfig merged;
    try {
      JudgeConfig geometry = JudgeConfig.geometryFromJson(body);
      merged = configured.withGeometry(geometry);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage().replaceFirst("^config: ", ""));
    }
    check(merged, width, height);
    return merged;
  }

  private static void check(JudgeConfig g, int width, int height) {
    if (g.stopZone().size() > MAX_ZONE_POINTS) {
      throw new IllegalArgumentException(
          "stop_zone has "
              + g.stopZone().size()
              + " points: at most "
              + MAX_ZONE_POINTS
              + " make a stop zone");
    }
    inside("stop_zone", g.stopZone(), width, height);
    inside("pre_stop_line", g.preStopLine(), width, height);
    inside("capture_line", g.captureLine(), width, height);
    if (g.calibration() != null) {
      inside("calibration.image", g.calibration().image(), width, height);
    }
    longEnough("pre_stop_line", g.preStopLine());
    longEnough("capture_line", g.captureLine());
    if (!g.preStopLine().isEmpty()) {
      gateAcross(g.stopZone(), g.preStopLine());
    }
  }

  private static void inside(String key, List<double[]> points, int width, int height) {
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      if (p[0] < 0 || p[1] < 0 || p[0] > width || p[1] > height) {
        throw new IllegalArgumentException(
            key
                + " point "
                + i
                + " "
                + point(p)
                + " is outside the "
                + width
                + "x"
                + height
                + " frame");
      }
    }
  }

  private static void longEnough(String key, List<double[]> line) {
    if (line.isEmpty()) {
      return;
    }
    double length = length(line.get(0), line.get(1));
    if (length < MIN_LINE_PX) {
      throw new IllegalArgumentException(
          key
              + " is "
              + Math.round(length * 10) / 10.0
              + " px long: draw it at least "
              + (int) MIN_LINE_PX
              + " px long, across the road");
    }
  }

  /** The gate lies wholly outside the zone and across the way from it to the zone. */
  private static void gateAcross(List<double[]> zone, List<double[]> gate) {
    double[] a = gate.get(0);
    double[] b = gate.get(1);
    List<double[]> ring = new ArrayList<>(zone);
    for (int i = 0; i < ring.size(); i++) {
      double[] p = ring.get(i);
      double[] q = ring.get((i + 1) % ring.size());
      if (Geometry.segmentsIntersect(a[0], a[1], b[0], b[1], p[0], p[1], q[0], q[1])) {
        throw new IllegalArgumentException(
            "pre_stop_line crosses the stop zone: it is the line vehicles cross before the zone,"
                + " so draw it on the approach side, outside the zone");
      }
    }
    double cx = 0;
    double cy = 0;
    for (double[] p : zone) {
      cx += p[0] / zone.size();
      cy += p[1] / zone.size();
    }
    double mx = (a[0] + b[0]) / 2;
    double my = (a[1] + b[1]) / 2;
    double toZone = Math.atan2(cy - my, cx - mx);
    double along = Math.atan2(b[1] - a[1], b[0] - a[0]);
    double angle = Math.toDegrees(Math.abs(Math.asin(Math.sin(toZone - along))));
    if (angle < MIN_GATE_ANGLE_DEG) {
      throw new IllegalArgumentException(
          "pre_stop_line points at the stop zone ("
              + Math.round(angle)
              + "° from the way to it): draw it across the approach, not along it");
    }
  }

  private static String point(double[] p) {
    String both = Geometry.describe(List.of(p));
    return both.substring(1, both.length() - 1);
  }

  private static double length(double[] a, double[] b) {
    return Math.hypot(b[0] - a[0], b[1] - a[1]);
  }

  private EditedGeometry() {}
}
