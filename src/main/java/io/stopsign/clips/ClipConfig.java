package io.stopsign.clips;

import io.stopsign.config.ConfigReader;
import java.time.Duration;

/**
 * {@code clips.*}: replay clips around passes. Their retention and size cap are in {@code disk.*}
 * with the snapshots'.
 *
 * @param enabled record the cameras' video and cut a clip per pass
 * @param preSeconds video kept before the zone entry
 * @param postSeconds video kept after the zone exit
 * @param recordMinutes how long the recent segments stay on disk: a pass that lasts longer than
 *     this gets a clip of its last part only
 */
public record ClipConfig(
    boolean enabled, double preSeconds, double postSeconds, int recordMinutes) {

  public static final ClipConfig DEFAULTS = new ClipConfig(true, 3.0, 2.0, 3);

  public ClipConfig {
    if (preSeconds < 0 || postSeconds < 0 || recordMinutes < 1) {
      throw new IllegalArgumentException(
          "clip margins must be >= 0 s and the recording at least 1 minute");
    }
  }

  public Duration recording() {
    return Duration.ofMinutes(recordMinutes);
  }

  /** Reads a {@code clips} section; every key optional. */
  public static ClipConfig from(ConfigReader r) {
    ClipConfig d = DEFAULTS;
    ClipConfig c =
        new ClipConfig(
            r.bool("enabled", d.enabled),
            r.number("pre_seconds", d.preSeconds, 0, 60),
            r.number("post_seconds", d.postSeconds, 0, 60),
            r.integer("record_minutes", d.recordMinutes, 1, 60));
    r.done();
    return c;
  }
}
