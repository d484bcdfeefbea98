package io.stopsign.ops;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The error budget of one camera: the share of its frames that failed (undecodable packets, source
 * failures, inference errors) over a sliding window, against the most allowed. Fed cumulative
 * counter readings; judged only once the window holds {@link #MIN_FRAMES} frames, so one failed
 * reconnect among a handful of frames does not fail /ready (the camera check covers a dead source).
 */
final class ErrorBudget {
  static final int MIN_FRAMES = 30;

  private record Reading(long nanos, double frames, double failed) {}

  private final double budget;
  private final long windowNanos;
  private final int windowSeconds;
  private final ArrayDeque<Reading> readings = new ArrayDeque<>();

  /**
   * @param budget the most share (0..1) of frames that may fail within the window
   */
  ErrorBudget(double budget, int windowSeconds) {
    this.budget = budget;
    this.windowSeconds = windowSeconds;
    this.windowNanos = windowSeconds * 1_000_000_000L;
  }

  /**
   * One reading of the camera's counters.
   *
   * @param frames frames attempted so far: decoded plus failed in decode
   * @param failed frames failed so far, in decode or inference
   */
  void add(long nanos, double frames, double failed) {
    Reading last = readings.peekLast();
    if (last != null && (frames < last.frames || failed < last.failed)) {
      readings.clear(); // the meters were registered anew (the camera restarted)
    }
    readings.addLast(new Reading(nanos, frames, failed));
    // keep one reading at or before the window's start as the baseline
    while (readings.size() > 2) {
      Reading second = readings.stream().skip(1).findFirst().orElseThrow();
      if (nanos - second.nanos < windowNanos) {
        break;
      }
      readings.removeFirst();
    }
  }

  double frames() {
    return readings.isEmpty() ? 0 : readings.getLast().frames - readings.getFirst().frames;
  }

  double failed() {
    return readings.isEmpty() ? 0 : readings.getLast().failed - readings.getFirst().failed;
  }

  /** Share of the window's frames that failed; 0 without frames. */
  double share() {
    double frames = frames();
    return frames <= 0 ? 0 : Math.min(1, failed() / frames);
  }

  boolean exceeded() {
    return frames() >= MIN_FRAMES && share() > budget;
  }

  Status status() {
    JsonObject data =
        new JsonObject()
            .put("frames", Math.round(frames()))
            .put("failed", Math.round(failed()))
            .put("share", Math.round(share() * 10_000) / 10_000.0)
            .put("budget", budget)
            .put("window_s", windowSeconds);
    if (!exceeded()) {
      return Status.OK(data);
    }
    return Status.KO(
        data.put(
            "reason",
            String.format(
                Locale.ROOT,
                "%d of %d frames failed in the last %d s (%.1f %%, budget %.1f %%)",
                Math.round(failed()),
                Math.round(frames()),
                windowSeconds,
                share() * 100,
                budget * 100)));
  }
}
