package io.stopsign.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  @Test
  @DisplayName("one line per interval; the lines held back in between are only counted")
  void oneLinePerInterval() {
    AtomicLong now = new AtomicLong(5);
    RateLimitedLog log =
        new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class), 100, now::get);
    assertThat(log.warn("first {}", 1)).isTrue();
    now.addAndGet(99);
    assertThat(log.warn("held back")).isFalse();
    assertThat(log.warn("held back")).isFalse();
    now.addAndGet(1);
    assertThat(log.warn("after the interval")).isTrue();
    assertThat(log.warn("held back")).isFalse();
  }
}
