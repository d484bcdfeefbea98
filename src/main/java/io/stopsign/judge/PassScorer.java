package io.stopsign.judge;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.camera.Thresholds;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scores a trajectory alone ({@code [t,x1,y1,x2,y2]} samples): replays kinematics and the zone
 * passage ({@link ZonePassage}) over it and judges its first pass: a debounced zone stay whose
 * entry is seen, or a crossing too quick for the debounce (a car seen before the zone and next
 * beyond it); touches of the zone edge that are no pass are skipped. The live service scores every
 * pass by calling this on the pass's stored trajectory, and the {@code score} command calls it on
 * trajectories read back, so a re-score with the same thresholds gives the same verdict.
 */
public final class PassScorer {
  private final JudgeGeometry geometry;
  private final PassMeasures measures;

  public PassScorer(JudgeGeometry geometry) {
    this.geometry = geometry;
    this.measures = new PassMeasures(geometry);
  }

  /**
   * Judges the first observed pass of {@code samples} (times strictly increasing); the end of the
   * list is the end of the track.
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
    ZonePassage zone = new ZonePassage(geometry);
    boolean firstInside = false;
    String miss = null;
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
      ZonePassage.Change change = zone.update(i, s, inside);
      if (entry < 0) {
        if (change == ZonePassage.Change.ENTERED) {
          entry = zone.changeStartIndex();
        } else if (change == ZonePassage.Change.CROSSED) {
          PassScore crossing =
              judge(samples, speeds, zone.crossedEntry(), zone.crossedExit(), false, true);
          if (crossing.pass()) {
            return crossing;
          }
          miss = crossing.reason();
          continue;
        } else {
          continue;
        }
      }
      if (change == ZonePassage.Change.EXITED) {
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
      if (zone.finishTouch()) {
        PassScore crossing =
            judge(samples, speeds, zone.crossedEntry(), zone.crossedExit(), false, true);
        if (crossing.pass()) {
          return crossing;
        }
        miss = crossing.reason();
      }
      return PassScore.noPass(
          firstInside
              ? "first seen inside the stop zone: no entry observed"
              : miss != null ? miss : "never entered the stop zone",
          unit);
    }
    if (exit < 0) {
      if (!zone.exitPending()) {
        return PassScore.noPass("track ended inside the stop zone", unit);
      }
      exit = zone.changeStartIndex();
    }
    return judge(samples, speeds, entry, exit, stop != null, false);
  }

  /** Whether the stay from {@code entry} has outlasted max_pass_duration at sample {@code i}. */
  boolean exceedsMax(List<Sample> samples, int entry, int i) {
    return micros(samples.get(i).t() - samples.get(entry).t())
        > geometry.thresholds().maxPassDuration();
  }

  /**
   * Measures the stay from sample {@code entry} (the first whose move from the previous one came
   * into the zone) to {@code exit} (the first outside after it, or the last sample when cut at
   * max_pass_duration). Entry and exit times are interpolated to where the moves between samples
   * cross the zone edge, so low frame rates and gaps don't bias them; a car seen before the zone
   * and next beyond it enters and leaves on the same move. A {@code quick} stay (a crossing under
   * the debounce) is a pass only if it went across the zone, not just over a corner or an edge.
   */
  private PassScore judge(
      List<Sample> samples, double[] speeds, int entry, int exit, boolean cutAtMax, boolean quick) {
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
    double travel = measures.travel(samples, entry, exit);
    String distanceUnit = th.speedUnit().replace("/s", "");
    if (travel < th.minTravel()) {
      return PassScore.noPass(
          fmt(
              "moved %.2f %s in the zone: box jitter at its edge, not a pass",
              travel, distanceUnit),
          th.speedUnit());
    }
    boolean crossed =
        !cutAtMax
            && entry > 0
            && geometry.crossedLength(
                    samples.get(entry - 1),
                    samples.get(entry),
                    samples.get(exit - 1),
                    samples.get(exit))
                >= th.minTravel();
    if (quick && !crossed) {
      return PassScore.noPass(
          fmt(
              "clipped the zone edge: under min_travel %s %s across it",
              th.minTravel(), distanceUnit),
          th.speedUnit());
    }
    double stopDuration = measures.stopDuration(samples, speeds, entry, exit, entryT, exitT);
    int last = Math.max(entry, cutAtMax ? exit : exit - 1);
    double[] inZone = Arrays.copyOfRange(speeds, entry, last + 1);
    double minSpeed = percentile(inZone, th.minSpeedPercentile());
    VerdictRule.Decision decision =
        VerdictRule.decide(th, timeInZone, stopDuration, minSpeed, crossed);
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

  private static double percentile(double[] values, double p) {
    return PassMeasures.percentile(values, p);
  }

  static double micros(double seconds) {
    return PassMeasures.micros(seconds);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
