package io.stopsign.judge;

import io.stopsign.camera.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Films a simulated run as a poor camera feed would: frames at {@code fps} with uneven spacing
 * (each frame up to a third of a period early or late), a share of detections missing at random,
 * one occlusion near the stop zone, and Gaussian jitter on every box edge. Boxes are 120x90 px with
 * the bottom centre on the run's path. Deterministic for a seed.
 *
 * @param fps frames per second of the feed
 * @param jitter standard deviation of each box edge, px
 * @param missing share of frames without a detection
 * @param occlusion seconds without any detection, starting while the vehicle is near the zone
 */
record PoorFeed(double fps, double jitter, double missing, double occlusion, long seed) {

  /** A feed at {@code fps} drawn from the ranges: jitter 1.5-4 px, up to 30 % missing. */
  static PoorFeed random(double fps, Random r) {
    return new PoorFeed(
        fps,
        1.5 + 2.5 * r.nextDouble(),
        0.3 * r.nextDouble(),
        0.3 + 0.5 * r.nextDouble(),
        r.nextLong());
  }

  List<Sample> film(TrajectorySimulator run) {
    Random r = new Random(seed);
    double start = run.startTime();
    double end = start + run.duration();
    double occlusionStart = occlusionStart(run, r);
    List<Sample> out = new ArrayList<>();
    for (long k = 0; ; k++) {
      double t = start + (k + (r.nextDouble() - 0.5) * 0.66) / fps;
      if (t > end) {
        break;
      }
      boolean hidden = r.nextDouble() < missing;
      double j1 = r.nextGaussian() * jitter;
      double j2 = r.nextGaussian() * jitter;
      double j3 = r.nextGaussian() * jitter;
      double j4 = r.nextGaussian() * jitter;
      if (t < start || hidden || (t >= occlusionStart && t < occlusionStart + occlusion)) {
        continue;
      }
      double[] g = run.groundAt(t);
      out.add(new Sample(t, g[0] - 60 + j1, g[1] - 90 + j2, g[0] + 60 + j3, g[1] + j4));
    }
    return out;
  }

  /**
   * A start for the occlusion while the vehicle is between 60 px before the zone (row 340) and its
   * far edge (row 500) of the test scene, or anywhere in the run if it never is.
   */
  private double occlusionStart(TrajectorySimulator run, Random r) {
    double start = run.startTime();
    double from = Double.NaN;
    double to = Double.NaN;
    for (double t = start; t <= start + run.duration(); t += 0.01) {
      double y = run.groundAt(t)[1];
      if (y >= 340 && y <= 500) {
        from = Double.isNaN(from) ? t : from;
        to = t;
      }
    }
    if (Double.isNaN(from)) {
      from = start;
      to = start + run.duration();
    }
    return from - occlusion / 2 + r.nextDouble() * (to - from);
  }
}
