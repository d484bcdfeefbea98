package io.stopsign.judge;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.camera.Thresholds;
import java.util.Arrays;
import java.util.List;

/**
 * The measurements of one zone stay on a trajectory, in real time stamps so that missing samples
 * and uneven frame spacing change nothing but the precision.
 */
final class PassMeasures {
  private final JudgeGeometry geometry;

  PassMeasures(JudgeGeometry geometry) {
    this.geometry = geometry;
  }

  /**
   * Seconds below the stop speed between {@code entryT} and {@code exitT}, speed linear between
   * samples. A gap in the detections longer than the speed window counts only if the move across it
   * agrees with being stopped (within half of min_travel of jitter): it is read as a stop only when
   * the vehicle is where it was before the gap.
   */
  double stopDuration(
      List<Sample> samples, double[] speeds, int entry, int exit, double entryT, double exitT) {
    Thresholds th = geometry.thresholds();
    int first = Math.max(0, entry - 1);
    double[] centred = new double[exit - first + 1];
    for (int k = first; k <= exit; k++) {
      centred[k - first] = centredSpeed(samples, k, th.speedWindowS());
    }
    double total = 0;
    for (int k = first; k < exit; k++) {
      Sample a = samples.get(k);
      Sample b = samples.get(k + 1);
      double from = Math.max(a.t(), entryT);
      double to = Math.min(b.t(), exitT);
      if (to <= from || (b.t() - a.t() > th.speedWindowS() && !stillBetween(a, b))) {
        continue;
      }
      double va = Double.isNaN(centred[k - first]) ? speeds[k] : centred[k - first];
      double vb = Double.isNaN(centred[k + 1 - first]) ? speeds[k + 1] : centred[k + 1 - first];
      total += belowFraction(va, vb, th.stopSpeed()) * (to - from);
    }
    return micros(total);
  }

  /**
   * Speed at sample k as the Theil-Sen slope of the ground points within {@code window} seconds
   * either side of it: a scored stay is in the past, so the estimate need not lag, and twice the
   * span holds box jitter down when telling stopped from creeping. NaN with fewer than 3 points.
   */
  private double centredSpeed(List<Sample> samples, int k, double window) {
    double t = samples.get(k).t();
    int lo = k;
    while (lo > 0 && samples.get(lo - 1).t() >= t - window) {
      lo--;
    }
    int hi = k;
    while (hi < samples.size() - 1 && samples.get(hi + 1).t() <= t + window) {
      hi++;
    }
    int n = hi - lo + 1;
    if (n < 3) {
      return Double.NaN;
    }
    int stride = Math.max(1, n / 24);
    List<double[]> points = new java.util.ArrayList<>();
    for (int i = lo; i <= hi; i += stride) {
      double[] g = geometry.ground(samples.get(i));
      if (g == null) {
        return Double.NaN;
      }
      points.add(new double[] {samples.get(i).t(), g[0], g[1]});
    }
    int m = points.size();
    double[] sx = new double[m * (m - 1) / 2];
    double[] sy = new double[sx.length];
    int c = 0;
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j < m; j++) {
        double dt = points.get(j)[0] - points.get(i)[0];
        sx[c] = (points.get(j)[1] - points.get(i)[1]) / dt;
        sy[c] = (points.get(j)[2] - points.get(i)[2]) / dt;
        c++;
      }
    }
    return Math.hypot(percentile(sx, 50), percentile(sy, 50));
  }

  /** Whether the move from a to b is short enough to have been made stopped (jitter allowed). */
  boolean stillBetween(Sample a, Sample b) {
    double[] ga = geometry.ground(a);
    double[] gb = geometry.ground(b);
    if (ga == null || gb == null) {
      return true;
    }
    Thresholds th = geometry.thresholds();
    double moved = Math.hypot(gb[0] - ga[0], gb[1] - ga[1]);
    return moved <= th.stopSpeed() * (b.t() - a.t()) + th.minTravel() / 2;
  }

  /**
   * Ground distance from where the vehicle came into the zone to where it left it: the median of
   * the samples up to the entry against that of the samples from the exit, 3 each (fewer at the
   * ends of the trajectory).
   */
  double travel(List<Sample> samples, int entry, int exit) {
    double[] a = medianGround(samples, Math.max(0, entry - 2), entry);
    double[] b = medianGround(samples, exit, Math.min(samples.size() - 1, exit + 2));
    return a == null || b == null ? Double.POSITIVE_INFINITY : Math.hypot(b[0] - a[0], b[1] - a[1]);
  }

  private double[] medianGround(List<Sample> samples, int from, int to) {
    int n = to - from + 1;
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      double[] g = geometry.ground(samples.get(from + i));
      if (g == null) {
        return null;
      }
      xs[i] = g[0];
      ys[i] = g[1];
    }
    return new double[] {percentile(xs, 50), percentile(ys, 50)};
  }

  /**
   * Share of the interval between two samples spent below {@code limit}, speed linear between them.
   */
  static double belowFraction(double a, double b, double limit) {
    if (a < limit && b < limit) {
      return 1;
    }
    if (a >= limit && b >= limit) {
      return 0;
    }
    double f = (limit - Math.min(a, b)) / Math.abs(b - a);
    return Math.max(0, Math.min(1, f));
  }

  /** Linear-interpolated percentile, p in [0, 100]. */
  static double percentile(double[] values, double p) {
    double[] v = values.clone();
    Arrays.sort(v);
    double rank = p / 100 * (v.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (rank - lo);
  }

  /** Differences of epoch seconds carry ~2e-7 s of float error: round to microseconds. */
  static double micros(double seconds) {
    return Math.round(seconds * 1e6) / 1e6;
  }
}
