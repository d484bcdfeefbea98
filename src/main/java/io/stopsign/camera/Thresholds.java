package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code thresholds} section of a camera: how passes are judged. Speeds are in {@code
 * speedUnit}: {@code px/s} without a ground calibration, {@code m/s} with one. Times in seconds.
 *
 * @param stopSpeed below it the vehicle counts as stopped (stop duration, full-stop min speed)
 * @param rollingMaxSpeed a rolling stop must slow below it; a vehicle that never does made no stop,
 *     however long it took to cross (the reference called a slow cruise through a deep zone
 *     "rolling")
 * @param minSpeedPercentile the "min speed" of a pass is this percentile of its in-zone speeds
 * @param parkedSpeed below it for {@code parkedAfterS} a vehicle is parked and makes no pass
 * @param unparkAfterS a parked vehicle must move this long (above parkedSpeed) to be un-parked
 * @param debounceS a zone entry or exit holds at least this long ...
 * @param debounceFrames ... and over at least this many frames
 * @param speedWindowS speed is the robust slope of the ground point over this window
 * @param minTravel a stay over which the vehicle moved less (px, or m) is box jitter at the zone
 *     edge, not a pass
 */
public record Thresholds(
    String speedUnit,
    double stopSpeed,
    double fullMinTimeInZone,
    double fullMinStopDuration,
    double rollingMinTimeInZone,
    double rollingMaxSpeed,
    double minPassDuration,
    double maxPassDuration,
    double minSpeedPercentile,
    double parkedSpeed,
    double parkedAfterS,
    double unparkAfterS,
    double debounceS,
    int debounceFrames,
    double speedWindowS,
    double minTravel) {

  public static final String PX = "px/s";
  public static final String MPS = "m/s";
  private static final Pattern SPEED =
      Pattern.compile("\\s*([0-9.eE+-]+)\\s*(px/s|m/s|km/h|mph)\\s*");
  private static final Map<String, Double> TO_MPS =
      Map.of("m/s", 1.0, "km/h", 1 / 3.6, "mph", 0.44704);

  /**
   * The reference defaults; speeds are 12 px/s, or 0.5 m/s (1.8 km/h) with a calibration. A rolling
   * stop must slow below 48 px/s (4 x the stop speed), or 2.2 m/s (5 mph).
   */
  public static Thresholds defaults(String speedUnit) {
    boolean px = PX.equals(speedUnit);
    double stop = px ? 12 : 0.5;
    double rolling = px ? 48 : 2.2;
    return new Thresholds(
        speedUnit,
        stop,
        2.0,
        1.2,
        1.5,
        rolling,
        0.2,
        60,
        5,
        stop,
        30,
        1.0,
        0.2,
        2,
        0.5,
        px ? 20 : 1.0);
  }

  /** Parses the section (absent = defaults); {@code speedUnit} follows from the calibration. */
  public static Thresholds from(ConfigReader r, String speedUnit) {
    Thresholds d = defaults(speedUnit);
    String declared = r.string("speed_unit", speedUnit);
    if (!declared.equals(speedUnit)) {
      throw new ConfigException(
          r.key("speed_unit"),
          declared,
          "this camera measures "
              + speedUnit
              + (PX.equals(speedUnit) ? " (no calibration)" : " (calibrated)"));
    }
    double stop = speed(r, "stop_speed", d.stopSpeed, speedUnit);
    Thresholds t =
        new Thresholds(
            speedUnit,
            stop,
            r.number("full_min_time_in_zone", d.fullMinTimeInZone, 0, 600),
            r.number("full_min_stop_duration", d.fullMinStopDuration, 0, 600),
            r.number("rolling_min_time_in_zone", d.rollingMinTimeInZone, 0, 600),
            speed(r, "rolling_max_speed", d.rollingMaxSpeed, speedUnit),
            r.number("min_pass_duration", d.minPassDuration, 0, 600),
            r.number("max_pass_duration", d.maxPassDuration, 0.1, 600),
            r.number("min_speed_percentile", d.minSpeedPercentile, 0, 50),
            speed(r, "parked_speed", stop, speedUnit),
            r.number("parked_after_s", d.parkedAfterS, 1, 86400),
            r.number("unpark_after_s", d.unparkAfterS, 0, 60),
            r.number("debounce_s", d.debounceS, 0, 10),
            r.integer("debounce_frames", d.debounceFrames, 1, 100),
            r.number("speed_window_s", d.speedWindowS, 0.1, 5),
            r.number("min_travel", d.minTravel, 0, 10000));
    if (t.minPassDuration >= t.maxPassDuration) {
      throw new ConfigException(
          r.key("min_pass_duration"),
          t.minPassDuration,
          "must be below max_pass_duration " + t.maxPassDuration);
    }
    r.done();
    return t;
  }

  /**
   * These thresholds with some keys replaced: {@code overrides} uses the names, units and ranges of
   * the config file's {@code thresholds} section (a what-if re-score, a run-time change).
   *
   * @throws ConfigException naming the first unknown key or bad value ({@code thresholds.<key>})
   */
  public Thresholds withOverrides(JsonObject overrides) {
    Map<String, Object> merged = new LinkedHashMap<>(toJson().getMap());
    for (Map.Entry<String, Object> e : overrides) {
      if (e.getValue() == null) {
        // Absent would mean "the default" to the parser, not "as configured": refuse it.
        throw new ConfigException("thresholds." + e.getKey(), null, "needs a value");
      }
      merged.put(e.getKey(), e.getValue());
    }
    return from(ConfigReader.of("thresholds", merged), speedUnit);
  }

  /** A speed: a number in the camera's unit, or a string with its unit ("0.5 m/s", "5 km/h"). */
  private static double speed(ConfigReader r, String name, double fallback, String unit) {
    Object raw = r.raw(name);
    if (raw == null) {
      return fallback;
    }
    String allowed =
        "must be a speed from 0 to 10000 " + unit + ", a plain number or with its unit";
    double value;
    if (raw instanceof Number n) {
      value = n.doubleValue();
    } else {
      Matcher m = SPEED.matcher(String.valueOf(raw).toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        try {
          value = ConfigReader.parseDecimal(raw);
        } catch (NumberFormatException e) {
          throw new ConfigException(r.key(name), raw, allowed + " (px/s, m/s, km/h, mph)");
        }
      } else {
        try {
          value = Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
          throw new ConfigException(r.key(name), raw, allowed);
        }
        String given = m.group(2);
        if (PX.equals(unit) != PX.equals(given)) {
          throw new ConfigException(
              r.key(name),
              raw,
              PX.equals(unit)
                  ? "this camera has no calibration: speeds are in px/s"
                  : "this camera is calibrated: speeds are in m/s (or km/h, mph)");
        }
        value *= TO_MPS.getOrDefault(given, 1.0);
      }
    }
    if (!(value > 0 && value <= 10000)) {
      throw new ConfigException(r.key(name), raw, allowed);
    }
    return value;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("speed_unit", speedUnit)
        .put("stop_speed", stopSpeed)
        .put("full_min_time_in_zone", fullMinTimeInZone)
        .put("full_min_stop_duration", fullMinStopDuration)
        .put("rolling_min_time_in_zone", rollingMinTimeInZone)
        .put("rolling_max_speed", rollingMaxSpeed)
        .put("min_pass_duration", minPassDuration)
        .put("max_pass_duration", maxPassDuration)
        .put("min_speed_percentile", minSpeedPercentile)
        .put("parked_speed", parkedSpeed)
        .put("parked_after_s", parkedAfterS)
        .put("unpark_after_s", unparkAfterS)
        .put("debounce_s", debounceS)
        .put("debounce_frames", debounceFrames)
        .put("speed_window_s", speedWindowS)
        .put("min_travel", minTravel);
  }
}
