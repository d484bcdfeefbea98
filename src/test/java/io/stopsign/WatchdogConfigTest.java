package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WatchdogConfigTest {

  private static WatchdogConfig read(Map<String, Object> section) {
    return WatchdogConfig.from(ConfigReader.of("watchdog", section));
  }

  @Test
  @DisplayName("every watchdog limit is read from its key")
  void readsEveryKey() {
    WatchdogConfig c =
        read(
            Map.of(
                "stale_seconds", 2,
                "open_timeout_seconds", 1,
                "read_timeout_seconds", 1,
                "reconnect_max_seconds", 2,
                "stall_seconds", 3,
                "inference_stall_seconds", 2,
                "error_budget", 0.2,
                "error_window_seconds", 10));
    assertThat(c.stall()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.openTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.inferenceStall()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.errorBudget()).isEqualTo(0.2);
    assertThat(c.errorWindowSeconds()).isEqualTo(10);
  }

  @Test
  @DisplayName(
      "a stall limit a silent camera's timeouts could reach stops start-up, naming the key")
  void stallBelowTheTimeouts() {
    assertThatThrownBy(() -> read(Map.of("stall_seconds", 30)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("watchdog.stall_seconds")
        .hasMessageContaining("twice open_timeout_seconds");
    assertThatThrownBy(() -> read(Map.of("error_budget", 1.5)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("watchdog.error_budget");
  }
}
