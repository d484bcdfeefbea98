package io.stopsign.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a recurring warning at most once per interval and says how many occurrences the line stands
 * for, so a bad input stream cannot flood the log. Safe to call from several threads.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final AtomicLong last = new AtomicLong();
  private final AtomicLong unlogged = new AtomicLong();
  private volatile boolean started;

  public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
    this(log, unit.toNanos(interval), System::nanoTime);
  }

  RateLimitedLog(Logger log, long intervalNanos, LongSupplier clock) {
    this.log = log;
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /**
   * Warns with {@code format}/{@code args} (SLF4J style) plus " (N more since the last line)" when
   * occurrences were held back; returns whether a line was written.
   */
  public boolean warn(String format, Object... args) {
    long now = clock.getAsLong();
    long previous = last.get();
    boolean due = !started || now - previous >= intervalNanos;
    if (!due || !last.compareAndSet(previous, now)) {
      unlogged.incrementAndGet();
      return false;
    }
    started = true;
    long more = unlogged.getAndSet(0);
    if (log.isWarnEnabled()) {
      log.warn(format + (more > 0 ? " (" + more + " more since the last line)" : ""), args);
    }
    return true;
  }
}
