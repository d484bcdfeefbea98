package io.stopsign.judge;

import io.stopsign.camera.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates vehicle trajectories for labelled scenarios: a vehicle moves along a straight path in
 * the image with a scripted speed profile (cruise, brake, wait, accelerate), sampled at a frame
 * rate, with optional detector jitter, box glitches and occlusion gaps. Boxes are 120x90 px with
 * the bottom centre on the path.
 */
final class TrajectorySimulator {
  static final double T0 = 1_726_179_150.0;

  private final double fps;
  private final double startX;
  private final double startY;
  private final double dirX;
  private final double dirY;
  private final List<double[]> states = new ArrayList<>(); // t, position along the path
  private double t;
  private double pos;
  private double v;
  private double jitter;
  private double glitchShare;
  private long seed = 1;
  private final List<double[]> gaps = new ArrayList<>();

  /** A vehicle starting at (x, y) heading towards (toX, toY), sampled at {@code fps}. */
  TrajectorySimulator(double fps, double x, double y, double toX, double toY) {
    this.fps = fps;
    this.startX = x;
    this.startY = y;
    double len = Math.hypot(toX - x, toY - y);
    this.dirX = (toX - x) / len;
    this.dirY = (toY - y) / len;
    this.t = T0;
    record();
  }

  static TrajectorySimulator down(double x, double fromY) {
    return new TrajectorySimulator(30, x, fromY, x, fromY + 1000);
  }

  TrajectorySimulator startAt(double time) {
    t = time;
    states.clear();
    record();
    return this;
  }

  /** Drives at constant speed {@code speed} px/s until the path position reaches {@code until}. */
  TrajectorySimulator cruise(double speed, double until) {
    if (speed <= 0) {
      throw new IllegalArgumentException("cruise needs a positive speed");
    }
    v = speed;
    while (pos < until) {
      step(0);
    }
    return this;
  }

  /**
   * Brakes evenly from the current speed to {@code target} px/s, reaching it at position {@code
   * at}.
   */
  TrajectorySimulator brakeTo(double target, double at) {
    double a = (target * target - v * v) / (2 * (at - pos));
    while (pos < at && v > target + 1e-9) {
      step(a);
      if (v < target) {
        v = target;
      }
    }
    v = target;
    return this;
  }

  /** Stands still for {@code seconds}. */
  TrajectorySimulator stop(double seconds) {
    v = 0;
    double end = t + seconds;
    while (t < end - 1e-9) {
      step(0);
    }
    return this;
  }

  /**
   * Accelerates at {@code a} px/s² up to {@code speed}, then cruises until position {@code until}.
   */
  TrajectorySimulator accelerate(double a, double speed, double until) {
    while (pos < until && v < speed) {
      step(a);
    }
    v = Math.min(v, speed);
    return cruise(speed, until);
  }

  /** Gaussian jitter (px, each box edge) and a share of frames whose box bottom jumps 20 px. */
  TrajectorySimulator jitter(double sigma, double glitches, long randomSeed) {
    this.jitter = sigma;
    this.glitchShare = glitches;
    this.seed = randomSeed;
    return this;
  }

  /** No detection between {@code from} and {@code to} seconds after the start. */
  TrajectorySimulator gap(double from, double to) {
    gaps.add(new double[] {T0 + from, T0 + to});
    return this;
  }

  /** Start time of the run (epoch seconds). */
  double startTime() {
    return states.get(0)[0];
  }

  /** Bottom centre of the box at {@code time}, linear between simulated steps (clamped). */
  double[] groundAt(double time) {
    int lo = 0;
    int hi = states.size() - 1;
    if (time <= states.get(0)[0] || hi == 0) {
      return point(states.get(0)[1]);
    }
    if (time >= states.get(hi)[0]) {
      return point(states.get(hi)[1]);
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (states.get(mid)[0] <= time) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double[] a = states.get(lo);
    double[] b = states.get(hi);
    return point(a[1] + (b[1] - a[1]) * (time - a[0]) / (b[0] - a[0]));
  }

  private double[] point(double position) {
    return new double[] {startX + dirX * position, startY + dirY * position};
  }

  double duration() {
    return t - states.get(0)[0];
  }

  List<Sample> samples() {
    Random random = new Random(seed);
    List<Sample> out = new ArrayList<>();
    for (double[] s : states) {
      double jx1 = random.nextGaussian() * jitter;
      double jy1 = random.nextGaussian() * jitter;
      double jx2 = random.nextGaussian() * jitter;
      double jy2 = random.nextGaussian() * jitter;
      if (random.nextDouble() < glitchShare) {
        jy2 += random.nextBoolean() ? 20 : -20;
      }
      if (inGap(s[0])) {
        continue;
      }
      double x = startX + dirX * s[1];
      double y = startY + dirY * s[1];
      out.add(new Sample(s[0], x - 60 + jx1, y - 90 + jy1, x + 60 + jx2, y + jy2));
    }
    return out;
  }

  private boolean inGap(double time) {
    for (double[] g : gaps) {
      if (time >= g[0] && time < g[1]) {
        return true;
      }
    }
    return false;
  }

  private void step(double a) {
    double dt = 1 / fps;
    double nv = Math.max(0, v + a * dt);
    pos += (v + nv) / 2 * dt;
    v = nv;
    t += dt;
    record();
  }

  private void record() {
    states.add(new double[] {t, pos});
  }
}
