package io.stopsign.judge;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.camera.Thresholds;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scores a trajectory alone ({@code [t,x1,y1,x2,y2]} samples): replays kinematics and the debounced
 * zone over it and judges its first zone stay whose entry is seen. The live service scores every
 * pass by calling this on the pass's stored trajectory, and the {@code score} command calls it on
 * trajectories read back, so a re-score with the same thresholds gives the same verdict.
 */
public final class PassScorer {
  private final JudgeGeometry geometry;

  public PassScorer(JudgeGeometry geometry) {
    this.geometry = geometry;
  }

  /**
   * Judges the first observed zone stay of {@code samples} (times strictly increasing); the end of
   * the list is the end of the track.
   *
   * @throws IllegalArgumentException when times do not increase or a value is not finite
   */
  public PassScore score(List<Sample> samples) {
    Thresholds th = geometry.thresholds();
    String unit = th.speedUnit();
    if (!geometry.hasZone()) {
      return PassScore.noPass("no stop zone configured", unit);
    }
    if (samples.isEmpty()) {
      return PassScore.noPass("empty trajectory", unit);
    }
    int n = samples.size();
    double[] speeds = new double[n];
    TrackKinematics kinematics = new TrackKinematics(th);
    ZoneDebouncer zone = new ZoneDebouncer(th);
    boolean firstInside = false;
    int entry = -1;
    int exit = -1;
    String stop = null;
    for (int i = 0; i < n; i++) {
      Sample s = samples.get(i);
      if (!s.isFinite()) {
        throw new IllegalArgumentException("sample " + i + " is not finite");
      }
      if (i > 0 && s.t() <= samples.get(i - 1).t()) {
        throw new IllegalArgumentException(
            "sample " + i + ": time " + s.t() + " does not increase");
      }
      kinematics.update(s.t(), s.groundX(), s.groundY(), geometry.ground(s));
      speeds[i] = kinematics.speed();
      boolean inside = geometry.inZone(s);
      firstInside |= i == 0 && inside;
      ZoneDebouncer.Change change = zone.update(i, s.t(), inside);
      if (entry < 0) {
        if (change == ZoneDebouncer.Change.ENTERED) {
          entry = zone.changeStartIndex();
        } else {
          continue;
        }
      }
      if (change == ZoneDebouncer.Change.EXITED) {
        exit = zone.changeStartIndex();
        break;
      }
      if (kinematics.stationaryFor(s.t()) >= th.parkedAfterS()) {
        return PassScore.noPass(
            fmt("parked in the stop zone (still for %.0f s)", kinematics.stationaryFor(s.t())),
            unit);
      }
      if (exceedsMax(samples, entry, i)) {
        exit = i;
        stop = "max";
        break;
      }
    }
    if (entry < 0) {
      return PassScore.noPass(
          firstInside
              ? "first seen inside the stop zone: no entry observed"
              : "never entered the stop zone",
          unit);
    }
    if (exit < 0) {
      if (!zone.pending()) {
        return PassScore.noPass("track ended inside the stop zone", unit);
      }
      exit = zone.changeStartIndex();
    }
    return judge(samples, speeds, entry, exit, stop != null);
  }

  /** Whether the stay from {@code entry} has outlasted max_pass_duration at sample {@code i}. */
  boolean exceedsMax(List<Sample> samples, int entry, int i) {
    return micros(samples.get(i).t() - samples.get(entry).t())
        > geometry.thresholds().maxPassDuration();
  }

  /**
   * Measures the stay from sample {@code entry} (first inside) to {@code exit} (first outside, or
   * the last sample when cut at max_pass_duration). Entry and exit times are interpolated to where
   * the move between two samples crosses the zone edge, so low frame rates and gaps don't bias
   * them.
   */
  private PassScore judge(
      List<Sample> samples, double[] speeds, int entry, int exit, boolean cutAtMax) {
    Thresholds th = geometry.thresholds();
    double entryT =
        entry == 0
            ? samples.get(0).t()
            : geometry.crossingTime(samples.get(entry - 1), samples.get(entry), true);
    double exitT =
        cutAtMax
            ? samples.get(exit).t()
            : geometry.crossingTime(samples.get(exit - 1), samples.get(exit), false);
    double timeInZone = micros(exitT - entryT);
    int last = cutAtMax ? exit : exit - 1;
    double travel = travel(samples, entry, exit);
    if (travel < th.minTravel()) {
      return PassScore.noPass(
          fmt(
              "moved %.2f %s in the zone: box jitter at its edge, not a pass",
              travel, th.speedUnit().replace("/s", "")),
          th.speedUnit());
    }
    double stopDuration =
        entry == 0
            ? 0
            : belowFraction(speeds[entry - 1], speeds[entry], th.stopSpeed())
                * (samples.get(entry).t() - entryT);
    for (int i = entry; i < exit; i++) {
      double end = !cutAtMax && i == exit - 1 ? exitT : samples.get(i + 1).t();
      stopDuration +=
          belowFraction(speeds[i], speeds[i + 1], th.stopSpeed()) * (end - samples.get(i).t());
    }
    stopDuration = micros(stopDuration);
    double[] inZone = Arrays.copyOfRange(speeds, entry, last + 1);
    double minSpeed = percentile(inZone, th.minSpeedPercentile());
    VerdictRule.Decision decision = VerdictRule.decide(th, timeInZone, stopDuration, minSpeed);
    String direction = directionProblem(samples, entry);
    if (direction != null && decision.verdict() != Verdict.REJECTED) {
      decision = new VerdictRule.Decision(Verdict.REJECTED, direction);
    }
    return new PassScore(
        true,
        decision.verdict(),
        decision.reason(),
        Math.round(entryT * 1000) / 1000.0,
        Math.round(exitT * 1000) / 1000.0,
        timeInZone,
        stopDuration,
        minSpeed,
        speeds[entry],
        th.speedUnit(),
        entry,
        exit);
  }

  /**
   * Ground distance from where the vehicle came into the zone to where it left it: the median of
   * the samples up to the entry against that of the samples from the exit, 3 each (fewer at the
   * ends of the trajectory).
   */
  private double travel(List<Sample> samples, int entry, int exit) {
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
   * Null when the vehicle came the right way: it crossed the pre-stop line towards the zone, or,
   * when that crossing was not seen (track born past the line), it moved towards the zone.
   */
  private String directionProblem(List<Sample> samples, int entry) {
    double[] normal = geometry.gateNormal();
    if (normal == null) {
      return null;
    }
    for (int i = 0; i < entry; i++) {
      if (geometry.crossesGateForward(samples.get(i), samples.get(i + 1))) {
        return null;
      }
    }
    Sample a = samples.get(0);
    Sample b = samples.get(entry);
    double dx = b.groundX() - a.groundX();
    double dy = b.groundY() - a.groundY();
    double len = Math.hypot(dx, dy);
    if (len < 1) {
      return null;
    }
    double cos = (dx * normal[0] + dy * normal[1]) / len;
    if (cos >= 0.5) {
      return null;
    }
    return cos <= -0.5
        ? "wrong direction: came towards the pre-stop line from the zone side"
        : "did not come through the pre-stop line (cross traffic)";
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

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
