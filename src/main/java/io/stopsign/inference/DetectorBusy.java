package io.stopsign.inference;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When the detector of one camera expects to be free: each inference thread's expected end
 * (System.nanoTime, 0 when idle), from a moving average of its inference time. Decode skips scaling
 * a frame that a newer one will replace before any thread is free.
 */
final class DetectorBusy {
  // under-estimate the end a little: a frame scaled in vain costs a few ms, a frame skipped in
  // error
  // costs the detector up to a frame interval of idling
  private static final double SAFETY = 0.95;
  private static final double WEIGHT = 0.2;

  // a run this many times the average (a stall, a GC pause) moves the average as if it were this
  private static final double OUTLIER = 4;

  private final AtomicLongArray busyUntil;
  private volatile double averageNanos;
  private volatile boolean warm;

  DetectorBusy(int threads) {
    busyUntil = new AtomicLongArray(threads);
  }

  /** Thread {@code worker} took a frame at {@code now}; returns when the first thread is free. */
  long started(int worker, long now) {
    busyUntil.set(worker, now + (long) (averageNanos * SAFETY));
    return freeAt();
  }

  /**
   * Thread {@code worker} ran for {@code nanos}; returns when the first thread is free. The first
   * run (the engine's warm-up) is not counted, so it does not make decode skip frames afterwards.
   */
  long finished(int worker, long nanos) {
    busyUntil.set(worker, 0);
    if (!warm) {
      warm = true;
      return freeAt();
    }
    double average = averageNanos;
    averageNanos =
        average == 0 ? nanos : average + WEIGHT * (Math.min(nanos, OUTLIER * average) - average);
    return freeAt();
  }

  /** The moving average of one inference, nanoseconds (0 before the second run). */
  double averageNanos() {
    return averageNanos;
  }

  /** The earliest expected end over the threads; 0 when one is idle. */
  long freeAt() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < busyUntil.length(); i++) {
      min = Math.min(min, busyUntil.get(i));
    }
    return min;
  }
}
