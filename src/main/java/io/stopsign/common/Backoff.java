package io.stopsign.common;

import java.time.Duration;

/**
 * The one retry policy: {@code initial}, doubling up to {@code max}. Stateful use ({@link #next})
 * resets to {@code initial} once an attempt stayed healthy for {@code healthy}, so a flapping
 * source is not hammered and one that dropped once after hours comes back fast; {@link #delay}
 * gives the same schedule for callers that count attempts themselves (one per pending message).
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final long healthyMillis;
  private long nextMillis;

  public Backoff(Duration initial, Duration max, Duration healthy) {
    if (initial.toMillis() < 1 || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 1 ms <= initial <= max");
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.healthyMillis = healthy.toMillis();
    this.nextMillis = initialMillis;
  }

  /** 0.5 s doubling to 30 s, reset after a healthy minute: camera reconnects. */
  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(1));
  }

  /**
   * The delay before the next attempt, given how long the attempt that just failed had been healthy
   * (0 when it never succeeded).
   */
  public Duration next(Duration healthyFor) {
    if (healthyFor.toMillis() >= healthyMillis) {
      nextMillis = initialMillis;
    }
    long delay = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return Duration.ofMillis(delay);
  }

  /** Starts the schedule over at {@code initial} (the thing retried is back). */
  public void reset() {
    nextMillis = initialMillis;
  }

  /** The delay before retry number {@code attempt} (0 = the first retry), same schedule. */
  public Duration delay(int attempt) {
    long delay = initialMillis;
    for (int i = 0; i < attempt && delay < maxMillis; i++) {
      delay *= 2;
    }
    return Duration.ofMillis(Math.min(maxMillis, delay));
  }
}
