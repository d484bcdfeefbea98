package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import java.util.List;

/** The stop zone: a convex polygon in raw camera pixels; boundary points count as inside. */
public final class StopZone {
  private final double[] xs;
  private final double[] ys;
  private final double orientation;
  private final double cx;
  private final double cy;

  private StopZone(double[] xs, double[] ys, double orientation, double cx, double cy) {
    this.xs = xs;
    this.ys = ys;
    this.orientation = orientation;
    this.cx = cx;
    this.cy = cy;
  }

  /**
   * Validates and builds the zone; {@code key} names it in errors.
   *
   * @throws ConfigException when the polygon is degenerate, self-intersecting or not convex
   */
  public static StopZone of(List<double[]> points, String key) {
    int n = points.size();
    if (n < 3) {
      throw new ConfigException(
          key, Geometry.describe(points), "must be a polygon of at least 3 [x, y] points");
    }
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = points.get(i)[0];
      ys[i] = points.get(i)[1];
    }
    double area2 = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      if (xs[i] == xs[j] && ys[i] == ys[j]) {
        throw new ConfigException(
            key, Geometry.describe(points), "has a repeated point (point " + i + ")");
      }
      area2 += xs[i] * ys[j] - xs[j] * ys[i];
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        boolean adjacent = j == i + 1 || (i == 0 && j == n - 1);
        if (!adjacent
            && Geometry.segmentsIntersect(
                xs[i],
                ys[i],
                xs[(i + 1) % n],
                ys[(i + 1) % n],
                xs[j],
                ys[j],
                xs[(j + 1) % n],
                ys[(j + 1) % n])) {
          throw new ConfigException(
              key,
              Geometry.describe(points),
              "is self-intersecting (edges " + i + " and " + j + " cross)");
        }
      }
    }
    if (Math.abs(area2) < 1e-6) {
      throw new ConfigException(
          key, Geometry.describe(points), "has no area (its points are collinear)");
    }
    double sign = Math.signum(area2);
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      int k = (i + 2) % n;
      double turn = Geometry.cross(xs[i], ys[i], xs[j], ys[j], xs[k], ys[k]);
      if (turn * sign < -1e-9) {
        throw new ConfigException(
            key, Geometry.describe(points), "must be convex (it turns inwards at point " + j + ")");
      }
    }
    double cx = 0;
    double cy = 0;
    for (int i = 0; i < n; i++) {
      cx += xs[i];
      cy += ys[i];
    }
    return new StopZone(xs, ys, sign, cx / n, cy / n);
  }

  public boolean contains(double x, double y) {
    int n = xs.length;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      if (Geometry.cross(xs[i], ys[i], xs[j], ys[j], x, y) * orientation < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the move from a to b crosses the zone boundary, as a fraction of the move: the first
   * point inside when {@code entering}, else the last one. 0 or 1 when it does not cross.
   */
  public double crossing(double ax, double ay, double bx, double by, boolean entering) {
    double in = 0;
    double out = 1;
    int n = xs.length;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      // signed distances (times edge length) of a and b to the edge, positive inside
      double da = Geometry.cross(xs[i], ys[i], xs[j], ys[j], ax, ay) * orientation;
      double db = Geometry.cross(xs[i], ys[i], xs[j], ys[j], bx, by) * orientation;
      if (da < 0 && db >= 0) {
        in = Math.max(in, da / (da - db));
      } else if (da >= 0 && db < 0) {
        out = Math.min(out, da / (da - db));
      }
    }
    return entering ? in : out;
  }

  /**
   * The part of the move from a to b inside the zone, as fractions {in, out} of the move
   * (Cyrus-Beck clipping), or null when the move misses the zone or only grazes a corner or an
   * edge.
   */
  public double[] chord(double ax, double ay, double bx, double by) {
    double in = 0;
    double out = 1;
    int n = xs.length;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double da = Geometry.cross(xs[i], ys[i], xs[j], ys[j], ax, ay) * orientation;
      double db = Geometry.cross(xs[i], ys[i], xs[j], ys[j], bx, by) * orientation;
      if (da < 0 && db < 0) {
        return null;
      }
      if (da < 0) {
        in = Math.max(in, da / (da - db));
      } else if (db < 0) {
        out = Math.min(out, da / (da - db));
      }
    }
    return out - in > 1e-9 ? new double[] {in, out} : null;
  }

  /** Mean of the corners: a point surely inside, used to tell the gate's approach side. */
  public double centerX() {
    return cx;
  }

  public double centerY() {
    return cy;
  }
}
