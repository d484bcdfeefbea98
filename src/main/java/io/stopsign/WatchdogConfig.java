package io.stopsign;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.time.Duration;

/**
 * {@code watchdog.*}: when a stage counts as broken and what is done about it.
 *
 * @param staleSeconds no decoded frame for this long: the camera is DOWN in /ready
 * @param openTimeoutSeconds a source must connect and show its streams within this (per step)
 * @param readTimeoutSeconds a source that sends no packet for this long is reconnected
 * @param reconnectMaxSeconds reconnect delays double from 0.5 s up to this
 * @param stallSeconds the decode thread inside one FFmpeg call this long exits the process (1)
 * @param inferenceStallSeconds frames arriving and no inference result for this long: DOWN
 * @param errorBudget most share of a camera's frames that may fail within the window
 * @param errorWindowSeconds the window the error budget is counted over
 */
public record WatchdogConfig(
    double staleSeconds,
    double openTimeoutSeconds,
    double readTimeoutSeconds,
    double reconnectMaxSeconds,
    double stallSeconds,
    double inferenceStallSeconds,
    double errorBudget,
    int errorWindowSeconds) {

  public static final WatchdogConfig DEFAULTS = new WatchdogConfig(5, 15, 10, 5, 60, 10, 0.05, 60);

  public static WatchdogConfig from(ConfigReader r) {
    WatchdogConfig d = DEFAULTS;
    WatchdogConfig c =
        new WatchdogConfig(
            r.number("stale_seconds", d.staleSeconds, 1, 3600),
            r.number("open_timeout_seconds", d.openTimeoutSeconds, 1, 600),
            r.number("read_timeout_seconds", d.readTimeoutSeconds, 1, 600),
            r.number("reconnect_max_seconds", d.reconnectMaxSeconds, 0.5, 600),
            r.number("stall_seconds", d.stallSeconds, 1, 3600),
            r.number("inference_stall_seconds", d.inferenceStallSeconds, 1, 3600),
            r.number("error_budget", d.errorBudget, 0, 1),
            r.integer("error_window_seconds", d.errorWindowSeconds, 5, 3600));
    r.done();
    // FFmpeg's own timeouts end a silent source first; the stall watchdog is for calls they miss
    if (c.stallSeconds <= 2 * c.openTimeoutSeconds || c.stallSeconds <= c.readTimeoutSeconds) {
      throw new ConfigException(
          r.key("stall_seconds"),
          c.stallSeconds,
          "must exceed twice open_timeout_seconds ("
              + c.openTimeoutSeconds
              + ") and read_timeout_seconds ("
              + c.readTimeoutSeconds
              + "), or a silent camera would restart the process");
    }
    return c;
  }

  public Duration stale() {
    return seconds(staleSeconds);
  }

  public Duration openTimeout() {
    return seconds(openTimeoutSeconds);
  }

  public Duration readTimeout() {
    return seconds(readTimeoutSeconds);
  }

  public Duration reconnectMax() {
    return seconds(reconnectMaxSeconds);
  }

  public Duration stall() {
    return seconds(stallSeconds);
  }

  public Duration inferenceStall() {
    return seconds(inferenceStallSeconds);
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
