package io.stopsign.judge;

import io.vertx.core.json.JsonObject;

/**
 * What the scorer says about one trajectory. {@code pass} false means no pass happened at all
 * (never entered, parked, lost inside the zone): the live service emits nothing, while the {@code
 * score} command prints it as {@code rejected} with the reason.
 *
 * @param entryIndex sample of the zone entry, -1 when none
 * @param exitIndex sample of the zone exit (first one outside, or the last sample), -1 when none
 */
public record PassScore(
    boolean pass,
    Verdict verdict,
    String reason,
    double entryTs,
    double exitTs,
    double timeInZone,
    double stopDuration,
    double minSpeed,
    double entrySpeed,
    String speedUnit,
    int entryIndex,
    int exitIndex) {

  static PassScore noPass(String reason, String speedUnit) {
    return new PassScore(false, Verdict.REJECTED, reason, 0, 0, 0, 0, 0, 0, speedUnit, -1, -1);
  }

  /** The score fields of the pass JSON and of the score command's output. */
  public JsonObject fill(JsonObject json) {
    return json.put("verdict", verdict.wire())
        .put("time_in_zone", round3(timeInZone))
        .put("stop_duration", round3(stopDuration))
        .put("min_speed", round3(minSpeed))
        .put("entry_speed", round3(entrySpeed))
        .put("speed_unit", speedUnit)
        .put("reason", reason);
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
