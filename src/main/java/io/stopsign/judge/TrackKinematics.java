package io.stopsign.judge;

import io.stopsign.camera.Thresholds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Speed, direction and parked state of one track. Speed is the Theil-Sen slope (median of pairwise
 * slopes) of the ground point over the last {@code speed_window_s}: a few pixels of detector jitter
 * or a one-frame box glitch barely move it, where frame-to-frame speeds would read tens of px/s.
 */
public final class TrackKinematics {
  private static final int MAX_POINTS = 40;
  private static final double DIRECTION_MIN_PX_S = 2.0;

  private record Point(double t, double gx, double gy, double ix, double iy) {}

  private final Thresholds thresholds;
  private final ArrayDeque<Point> window = new ArrayDeque<>();
  private double[] sx = new double[0];
  private double[] sy = new double[0];
  private double speed;
  private double direction;
  private double stationarySince = Double.NaN;
  private double movingSince = Double.NaN;
  private boolean parked;
  private int observations;
  private double firstT = Double.NaN;
  private double lastT = Double.NaN;

  public TrackKinematics(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  /**
   * Adds one observation; times must increase.
   *
   * @param ground the ground point in the speed unit's space, or null when it cannot be mapped
   */
  public void update(double t, double imageX, double imageY, double[] ground) {
    observations++;
    if (Double.isNaN(firstT)) {
      firstT = t;
    }
    lastT = t;
    double gx = ground == null ? Double.NaN : ground[0];
    double gy = ground == null ? Double.NaN : ground[1];
    window.addLast(new Point(t, gx, gy, imageX, imageY));
    while (window.size() > 2 && secondTime() <= t - thresholds.speedWindowS()) {
      window.removeFirst();
    }
    List<Point> points = sampled();
    double[] g = slopes(points, true);
    if (g != null) {
      speed = Math.hypot(g[0], g[1]);
    }
    // without a calibration the ground point is the image point: no second estimate needed
    double[] img = ground == null || gx != imageX || gy != imageY ? slopes(points, false) : g;
    if (img != null && Math.hypot(img[0], img[1]) >= DIRECTION_MIN_PX_S) {
      direction = Math.atan2(img[1], img[0]);
    }
    updateParked(t);
  }

  private void updateParked(double t) {
    if (speed < thresholds.parkedSpeed()) {
      if (Double.isNaN(stationarySince)) {
        stationarySince = t;
      }
      movingSince = Double.NaN;
      if (!parked && t - stationarySince >= thresholds.parkedAfterS()) {
        parked = true;
      }
    } else {
      stationarySince = Double.NaN;
      if (Double.isNaN(movingSince)) {
        movingSince = t;
      }
      if (parked && t - movingSince >= thresholds.unparkAfterS()) {
        parked = false;
      }
    }
  }

  /** Current speed in the speed unit (px/s or m/s); 0 until two observations exist. */
  public double speed() {
    return speed;
  }

  /**
   * Whether {@link #speed()} means anything yet: 3 observations over half the speed window at least
   * (a new track's first moves are mostly box jitter).
   */
  public boolean speedKnown() {
    return observations >= 3 && lastT - firstT >= thresholds.speedWindowS() / 2;
  }

  /** Direction of travel in the image, radians (0 = +x, y down); the last one seen while moving. */
  public double direction() {
    return direction;
  }

  public boolean parked() {
    return parked;
  }

  /** Seconds the vehicle has been below the parked speed at time t (0 when moving). */
  public double stationaryFor(double t) {
    return Double.isNaN(stationarySince) ? 0 : t - stationarySince;
  }

  /** Carries a parked state over a rebuild (reconfiguration keeps parked cars parked). */
  void inheritParked(TrackKinematics previous) {
    if (previous.parked) {
      parked = true;
    }
  }

  private double secondTime() {
    var it = window.iterator();
    it.next();
    return it.next().t;
  }

  /** The window's points, thinned evenly when a very high frame rate fills it. */
  private List<Point> sampled() {
    List<Point> all = new ArrayList<>(window);
    if (all.size() <= MAX_POINTS) {
      return all;
    }
    List<Point> out = new ArrayList<>(MAX_POINTS);
    for (int i = 0; i < MAX_POINTS; i++) {
      out.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (MAX_POINTS - 1))));
    }
    return out;
  }

  /** Theil-Sen slopes (per second) of x and y; null with fewer than two usable points. */
  private double[] slopes(List<Point> points, boolean ground) {
    int n = points.size();
    int pairs = n * (n - 1) / 2;
    if (sx.length < pairs) {
      sx = new double[pairs];
      sy = new double[pairs];
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
      Point a = points.get(i);
      for (int j = i + 1; j < n; j++) {
        Point b = points.get(j);
        double dt = b.t - a.t;
        double dx = ground ? b.gx - a.gx : b.ix - a.ix;
        double dy = ground ? b.gy - a.gy : b.iy - a.iy;
        if (dt > 0 && Double.isFinite(dx) && Double.isFinite(dy)) {
          sx[m] = dx / dt;
          sy[m] = dy / dt;
          m++;
        }
      }
    }
    if (m == 0) {
      return null;
    }
    return new double[] {median(sx, m), median(sy, m)};
  }

  /** Median of the first {@code count} values, by selection (reorders them). */
  private static double median(double[] v, int count) {
    int k = count / 2;
    select(v, count, k);
    if (count % 2 == 1) {
      return v[k];
    }
    double below = v[0];
    for (int i = 1; i < k; i++) {
      below = Math.max(below, v[i]);
    }
    return (below + v[k]) / 2;
  }

  /** Puts the k-th smallest of v[0..count) at v[k], smaller ones before it (Hoare selection). */
  private static void select(double[] v, int count, int k) {
    int lo = 0;
    int hi = count - 1;
    while (lo < hi) {
      double pivot = v[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (v[i] < pivot) {
          i++;
        }
        while (v[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = v[i];
          v[i] = v[j];
          v[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }
}
