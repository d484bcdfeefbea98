package io.stopsign.judge;

import io.stopsign.camera.Thresholds;
import java.util.Locale;

/**
 * The verdict of a pass from its measurements: the reference rules with the thresholds of the
 * camera. Full = long enough in the zone, stopped long enough, and slow enough at its slowest;
 * rolling = long enough in the zone and slowed below the rolling speed (the reference rule without
 * that second condition called slow cruising through a deep zone "rolling"); otherwise no stop. Too
 * long stays are rejected, and so are too short ones unless the vehicle went across the zone.
 */
public final class VerdictRule {

  /** A verdict and the one-line reason a person reads next to it. */
  public record Decision(Verdict verdict, String reason) {}

  public static Decision decide(
      Thresholds t, double timeInZone, double stopDuration, double minSpeed) {
    return decide(t, timeInZone, stopDuration, minSpeed, false);
  }

  /**
   * As above; {@code crossed} says the vehicle went across the zone (came in on one side, left on
   * another): then a stay too short for min_pass_duration was a crossing faster than any stop,
   * which is no stop, not a non-pass.
   */
  public static Decision decide(
      Thresholds t, double timeInZone, double stopDuration, double minSpeed, boolean crossed) {
    String unit = t.speedUnit();
    if (timeInZone < t.minPassDuration() && crossed) {
      return new Decision(
          Verdict.NONE,
          fmt(
              "no stop: crossed the zone in %.2f s (under min_pass_duration %s s)",
              timeInZone, t.minPassDuration()));
    }
    if (timeInZone < t.minPassDuration()) {
      return new Decision(
          Verdict.REJECTED,
          fmt("in the zone %.2f s, under min_pass_duration %s s", timeInZone, t.minPassDuration()));
    }
    if (timeInZone > t.maxPassDuration()) {
      return new Decision(
          Verdict.REJECTED,
          fmt(
              "in the zone %.1f s, over max_pass_duration %s s (parking?)",
              timeInZone, t.maxPassDuration()));
    }
    boolean longEnough = timeInZone >= t.fullMinTimeInZone();
    boolean stoppedEnough = stopDuration >= t.fullMinStopDuration();
    boolean slowEnough = minSpeed < t.stopSpeed();
    if (longEnough && stoppedEnough && slowEnough) {
      return new Decision(
          Verdict.FULL,
          fmt(
              "stopped %.2f s below %s %s, %.2f s in the zone",
              stopDuration, t.stopSpeed(), unit, timeInZone));
    }
    if (timeInZone >= t.rollingMinTimeInZone() && minSpeed < t.rollingMaxSpeed()) {
      String missing =
          !slowEnough
              ? fmt("slowest %.2f %s, not below %s", minSpeed, unit, t.stopSpeed())
              : !stoppedEnough
                  ? fmt("stopped %.2f s, under %s s", stopDuration, t.fullMinStopDuration())
                  : fmt("%.2f s in the zone, under %s s", timeInZone, t.fullMinTimeInZone());
      return new Decision(Verdict.ROLLING, "rolled through: " + missing);
    }
    if (timeInZone >= t.rollingMinTimeInZone()) {
      return new Decision(
          Verdict.NONE,
          fmt(
              "no stop: slowest %.2f %s, never below %s %s (%.2f s in the zone)",
              minSpeed, unit, t.rollingMaxSpeed(), unit, timeInZone));
    }
    return new Decision(
        Verdict.NONE,
        fmt(
            "no stop: %.2f s in the zone (under %s s), slowest %.2f %s",
            timeInZone, t.rollingMinTimeInZone(), minSpeed, unit));
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private VerdictRule() {}
}
