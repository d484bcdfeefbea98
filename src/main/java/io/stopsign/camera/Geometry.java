package io.stopsign.camera;

import java.util.List;
import java.util.stream.Collectors;

/** Plane geometry on raw pixel coordinates shared by the zone, the lines and the calibration. */
final class Geometry {

  /** Cross product of (b - a) and (c - a): positive when a, b, c turn counter-clockwise (y up). */
  static double cross(double ax, double ay, double bx, double by, double cx, double cy) {
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  }

  /** Whether segments ab and cd share a point (touching counts). */
  static boolean segmentsIntersect(
      double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
    double d1 = cross(cx, cy, dx, dy, ax, ay);
    double d2 = cross(cx, cy, dx, dy, bx, by);
    double d3 = cross(ax, ay, bx, by, cx, cy);
    double d4 = cross(ax, ay, bx, by, dx, dy);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
      return true;
    }
    return (d1 == 0 && onSegment(cx, cy, dx, dy, ax, ay))
        || (d2 == 0 && onSegment(cx, cy, dx, dy, bx, by))
        || (d3 == 0 && onSegment(ax, ay, bx, by, cx, cy))
        || (d4 == 0 && onSegment(ax, ay, bx, by, dx, dy));
  }

  private static boolean onSegment(
      double ax, double ay, double bx, double by, double px, double py) {
    return Math.min(ax, bx) <= px
        && px <= Math.max(ax, bx)
        && Math.min(ay, by) <= py
        && py <= Math.max(ay, by);
  }

  /** Points as [[x,y],...] for error messages. */
  static String describe(List<double[]> points) {
    return points.stream()
        .map(p -> "[" + trim(p[0]) + ", " + trim(p[1]) + "]")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  private Geometry() {}
}
