package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import java.util.List;

/** A line drawn on the image ({@code pre_stop_line}, {@code capture_line}), in raw pixels. */
public final class LineSegment {
  private final double ax;
  private final double ay;
  private final double bx;
  private final double by;

  private LineSegment(double ax, double ay, double bx, double by) {
    this.ax = ax;
    this.ay = ay;
    this.bx = bx;
    this.by = by;
  }

  /**
   * Validates and builds the line; {@code key} names it in errors.
   *
   * @throws ConfigException unless it is exactly two distinct points
   */
  public static LineSegment of(List<double[]> points, String key) {
    if (points.size() != 2) {
      throw new ConfigException(key, Geometry.describe(points), "must be exactly 2 [x, y] points");
    }
    double[] a = points.get(0);
    double[] b = points.get(1);
    if (a[0] == b[0] && a[1] == b[1]) {
      throw new ConfigException(key, Geometry.describe(points), "its 2 points must differ");
    }
    return new LineSegment(a[0], a[1], b[0], b[1]);
  }

  /** Signed side of a point against the infinite line through the segment. */
  public double side(double x, double y) {
    return Geometry.cross(ax, ay, bx, by, x, y);
  }

  /** Whether the move from p to q crosses (or touches) the segment itself. */
  public boolean crossedBy(double px, double py, double qx, double qy) {
    return Geometry.segmentsIntersect(px, py, qx, qy, ax, ay, bx, by);
  }

  /** Unit normal of the line pointing to the side where {@code (x, y)} lies. */
  public double[] normalToward(double x, double y) {
    double len = Math.hypot(bx - ax, by - ay);
    double nx = -(by - ay) / len;
    double ny = (bx - ax) / len;
    return side(x, y) * Geometry.cross(ax, ay, bx, by, ax + nx, ay + ny) >= 0
        ? new double[] {nx, ny}
        : new double[] {-nx, -ny};
  }

  public double length() {
    return Math.hypot(bx - ax, by - ay);
  }
}
