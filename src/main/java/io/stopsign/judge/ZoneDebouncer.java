package io.stopsign.judge;

import io.stopsign.camera.Thresholds;

/**
 * Debounced zone membership of one track: a change of side counts only once the vehicle has been on
 * the new side for at least {@code debounce_s} and {@code debounce_frames}; the change is dated to
 * the first sample on the new side. The first sample sets the side without an event.
 */
public final class ZoneDebouncer {
  /** What one sample changed. */
  public enum Change {
    NONE,
    ENTERED,
    EXITED
  }

  private final double minSeconds;
  private final int minFrames;
  private boolean started;
  private boolean inside;
  private int runCount;
  private double runStartT;
  private int runStartIndex = -1;

  public ZoneDebouncer(Thresholds thresholds) {
    this.minSeconds = thresholds.debounceS();
    this.minFrames = thresholds.debounceFrames();
  }

  /** Feeds sample {@code index} taken at {@code t}, raw side {@code rawInside}. */
  public Change update(int index, double t, boolean rawInside) {
    if (!started) {
      started = true;
      inside = rawInside;
      return Change.NONE;
    }
    if (rawInside == inside) {
      runCount = 0;
      runStartIndex = -1;
      return Change.NONE;
    }
    if (runCount == 0) {
      runStartT = t;
      runStartIndex = index;
    }
    runCount++;
    if (runCount >= minFrames && t - runStartT >= minSeconds - 1e-9) {
      inside = rawInside;
      runCount = 0;
      return inside ? Change.ENTERED : Change.EXITED;
    }
    return Change.NONE;
  }

  /** The debounced side. */
  public boolean inside() {
    return inside;
  }

  /** Index of the first sample of the change just reported, or of the pending one; -1 if none. */
  public int changeStartIndex() {
    return runStartIndex;
  }

  public double changeStartT() {
    return runStartT;
  }

  /** Whether a change of side has begun but is not yet confirmed. */
  public boolean pending() {
    return runCount > 0;
  }
}
