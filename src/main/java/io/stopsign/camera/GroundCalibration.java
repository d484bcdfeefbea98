package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Ground-plane calibration: four image points (raw pixels) with their positions on the road in
 * metres give a homography that turns a box's ground-contact point into metres.
 */
public final class GroundCalibration {
  private final List<double[]> image;
  private final List<double[]> world;
  private final double[] h;
  private final double wSign;

  private GroundCalibration(List<double[]> image, List<double[]> world, double[] h, double wSign) {
    this.image = image;
    this.world = world;
    this.h = h;
    this.wSign = wSign;
  }

  /**
   * Validates and solves the calibration; {@code key} names the section in errors.
   *
   * @throws ConfigException when either quad is degenerate (3 points in a line, crossing edges)
   */
  public static GroundCalibration of(List<double[]> image, List<double[]> world, String key) {
    checkQuad(image, key + ".image");
    checkQuad(world, key + ".world");
    double[][] ni = normalizer(image);
    double[][] nw = normalizer(world);
    double[][] a = new double[8][9];
    for (int i = 0; i < 4; i++) {
      double[] p = apply(ni, image.get(i));
      double[] q = apply(nw, world.get(i));
      a[2 * i] = new double[] {p[0], p[1], 1, 0, 0, 0, -p[0] * q[0], -p[1] * q[0], q[0]};
      a[2 * i + 1] = new double[] {0, 0, 0, p[0], p[1], 1, -p[0] * q[1], -p[1] * q[1], q[1]};
    }
    double[] hn = solve(a);
    if (hn == null) {
      throw new ConfigException(
          key, describe(image, world), "the 4 point pairs do not define a ground plane");
    }
    double[][] hm = {{hn[0], hn[1], hn[2]}, {hn[3], hn[4], hn[5]}, {hn[6], hn[7], 1}};
    double[][] full = multiply(invertSimilarity(nw), multiply(hm, ni));
    double[] flat = new double[9];
    for (int r = 0; r < 3; r++) {
      System.arraycopy(full[r], 0, flat, 3 * r, 3);
    }
    double sign = 0;
    for (double[] p : image) {
      double w = flat[6] * p[0] + flat[7] * p[1] + flat[8];
      if (sign != 0 && Math.signum(w) != sign || w == 0) {
        throw new ConfigException(
            key, describe(image, world), "the image and world points are not in the same order");
      }
      sign = Math.signum(w);
    }
    return new GroundCalibration(List.copyOf(image), List.copyOf(world), flat, sign);
  }

  /** Ground position in metres of an image point, or null for a point at or beyond the horizon. */
  public double[] toGround(double x, double y) {
    double w = h[6] * x + h[7] * y + h[8];
    if (w * wSign <= 1e-12) {
      return null;
    }
    return new double[] {(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w};
  }

  public List<double[]> image() {
    return image;
  }

  public List<double[]> world() {
    return world;
  }

  public JsonObject toJson() {
    return new JsonObject().put("image", points(image)).put("world", points(world));
  }

  public static JsonArray points(List<double[]> points) {
    JsonArray out = new JsonArray();
    points.forEach(p -> out.add(new JsonArray().add(p[0]).add(p[1])));
    return out;
  }

  private static void checkQuad(List<double[]> points, String key) {
    if (points.size() != 4) {
      throw new ConfigException(key, Geometry.describe(points), "must be exactly 4 [x, y] points");
    }
    double scale = 0;
    for (double[] p : points) {
      scale =
          Math.max(
              scale,
              Math.max(Math.abs(p[0] - points.get(0)[0]), Math.abs(p[1] - points.get(0)[1])));
    }
    for (int i = 0; i < 4; i++) {
      for (int j = i + 1; j < 4; j++) {
        for (int k = j + 1; k < 4; k++) {
          double[] a = points.get(i);
          double[] b = points.get(j);
          double[] c = points.get(k);
          if (Math.abs(Geometry.cross(a[0], a[1], b[0], b[1], c[0], c[1]))
              <= 1e-6 * scale * scale) {
            throw new ConfigException(
                key,
                Geometry.describe(points),
                "is degenerate: points " + i + ", " + j + ", " + k + " are in a line");
          }
        }
      }
    }
    StopZone.of(points, key); // a simple convex quad, else the horizon crosses it
  }

  /** Similarity moving the points' centroid to 0 and their mean distance to sqrt(2). */
  private static double[][] normalizer(List<double[]> points) {
    double mx = 0;
    double my = 0;
    for (double[] p : points) {
      mx += p[0] / points.size();
      my += p[1] / points.size();
    }
    double d = 0;
    for (double[] p : points) {
      d += Math.hypot(p[0] - mx, p[1] - my) / points.size();
    }
    double s = Math.sqrt(2) / d;
    return new double[][] {{s, 0, -s * mx}, {0, s, -s * my}, {0, 0, 1}};
  }

  private static double[][] invertSimilarity(double[][] t) {
    double s = t[0][0];
    return new double[][] {{1 / s, 0, -t[0][2] / s}, {0, 1 / s, -t[1][2] / s}, {0, 0, 1}};
  }

  private static double[] apply(double[][] t, double[] p) {
    return new double[] {t[0][0] * p[0] + t[0][2], t[1][1] * p[1] + t[1][2]};
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] out = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < 3; k++) {
          out[r][c] += a[r][k] * b[k][c];
        }
      }
    }
    return out;
  }

  /** Gaussian elimination with partial pivoting on an augmented 8x9 matrix; null when singular. */
  private static double[] solve(double[][] a) {
    int n = 8;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      if (Math.abs(a[pivot][col]) < 1e-10) {
        return null;
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int c = col; c <= n; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }

  private static String describe(List<double[]> image, List<double[]> world) {
    return "image " + Geometry.describe(image) + ", world " + Geometry.describe(world);
  }
}
