package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OtelConfigTest {
  private static OtelConfig parse(Map<String, Object> section) {
    return OtelConfig.from(ConfigReader.of("otel", section));
  }

  @Test
  @DisplayName("defaults: tracing off, 1 % of frames when it is on")
  void defaults() {
    assertThat(parse(Map.of())).isEqualTo(OtelConfig.DEFAULTS);
    assertThat(OtelConfig.DEFAULTS.enabled()).isFalse();
  }

  @Test
  @DisplayName("the endpoint is an OTLP/HTTP base URL; spans go to /v1/traces under it")
  void endpoint() {
    OtelConfig c = parse(Map.of("endpoint", "http://collector:4318/", "sample_ratio", 0.5));
    assertThat(c.enabled()).isTrue();
    assertThat(c.tracesUrl()).isEqualTo("http://collector:4318/v1/traces");
    assertThat(c.sampleRatio()).isEqualTo(0.5);
  }

  @Test
  @DisplayName("a URL that is not http(s) with a host, or a ratio outside 0..1, stops start-up")
  void badValues() {
    assertThatThrownBy(() -> parse(Map.of("endpoint", "collector:4318")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otel.endpoint");
    assertThatThrownBy(() -> parse(Map.of("endpoint", "http://bad host")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otel.endpoint");
    assertThatThrownBy(() -> parse(Map.of("sample_ratio", 1.5)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otel.sample_ratio");
  }
}
