package io.stopsign.decode;

import java.time.Duration;

/**
 * Reconnect delays: {@code initial}, doubling up to {@code max}; back to {@code initial} once a
 * session stayed healthy for {@code healthy}, so a flapping camera is not hammered and a camera
 * that dropped once after hours reconnects fast.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final long healthyMillis;
  private long nextMillis;

  public Backoff(Duration initial, Duration max, Duration healthy) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.healthyMillis = healthy.toMillis();
    this.nextMillis = initialMillis;
  }

  /** 0.5 s doubling to 30 s, reset after a healthy minute. */
  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(1));
  }

  /**
   * The delay before the next attempt, given how long the session that just failed had been
   * streaming (0 when it never connected).
   */
  public Duration next(Duration streamedFor) {
    if (streamedFor.toMillis() >= healthyMillis) {
      nextMillis = initialMillis;
    }
    long delay = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return Duration.ofMillis(delay);
  }
}
