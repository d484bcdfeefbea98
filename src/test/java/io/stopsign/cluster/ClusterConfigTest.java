package io.stopsign.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static ClusterConfig parse(Map<String, Object> section) {
    return ClusterConfig.from(ConfigReader.of("cluster", section));
  }

  @Test
  @DisplayName("defaults: one process, Hazelcast never started")
  void defaults() {
    assertThat(parse(Map.of())).isEqualTo(ClusterConfig.DEFAULTS);
    assertThat(ClusterConfig.DEFAULTS.enabled()).isFalse();
  }

  @Test
  @DisplayName("members are host:port; the event bus listens next to Hazelcast")
  void members() {
    ClusterConfig c =
        parse(
            Map.of(
                "enabled",
                true,
                "port",
                5711,
                "members",
                List.of("127.0.0.1:5701", "node-b:5701")));
    assertThat(c.members()).containsExactly("127.0.0.1:5701", "node-b:5701");
    assertThat(c.eventBusPort()).isEqualTo(5712);
  }

  @Test
  @DisplayName("bad values are one line naming the key, the value and what is allowed")
  void badValues() {
    assertThatThrownBy(() -> parse(Map.of("members", List.of("127.0.0.1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config: cluster.members = \"127.0.0.1\": each member must be host:port with a port"
                + " from 1 to 65535");
    assertThatThrownBy(() -> parse(Map.of("port", 70000)))
        .hasMessage("config: cluster.port = 70000: must be an integer from 1 to 65534");
    assertThatThrownBy(() -> parse(Map.of("host", "bad host")))
        .hasMessageContaining("cluster.host");
    assertThatThrownBy(
            () -> parse(Map.of("members", List.of("a:1"), "kubernetes_service", "hz.default.svc")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> parse(Map.of("enabled", "maybe")))
        .hasMessage("config: cluster.enabled = \"maybe\": allowed: true, false");
    assertThatThrownBy(() -> parse(Map.of("multicast", true)))
        .hasMessage("config: cluster.multicast = true: unknown key");
  }
}
