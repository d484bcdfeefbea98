package io.stopsign.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  @DisplayName("Delays double from 0.5 s to at most 30 s, and start over after a healthy minute")
  void doublesAndResets() {
    Backoff backoff = Backoff.standard();
    long[] expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (long ms : expected) {
      assertThat(backoff.next(Duration.ZERO).toMillis()).isEqualTo(ms);
    }
    assertThat(backoff.next(Duration.ofSeconds(59)).toMillis()).isEqualTo(30000);
    assertThat(backoff.next(Duration.ofSeconds(61)).toMillis()).isEqualTo(500);
    assertThat(backoff.next(Duration.ZERO).toMillis()).isEqualTo(1000);
  }

  @Test
  @DisplayName("Counted attempts follow the same schedule: initial, doubling, capped at max")
  void delayByAttempt() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO);
    long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int attempt = 0; attempt < expected.length; attempt++) {
      assertThat(backoff.delay(attempt).toMillis()).isEqualTo(expected[attempt]);
    }
    assertThat(backoff.delay(Integer.MAX_VALUE).toMillis()).isEqualTo(30000);
  }
}
