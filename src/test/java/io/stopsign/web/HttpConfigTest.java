package io.stopsign.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.ConfigLoader;
import io.stopsign.config.ConfigException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpConfigTest {

  private static HttpConfig load(Map<String, String> env) {
    return ConfigLoader.load(null, null, env, new Properties()).http();
  }

  @Test
  @DisplayName("defaults: loopback, port 8080, no token, no TLS, no extra WebSocket origins")
  void defaults() {
    HttpConfig http = load(Map.of());
    assertThat(http.host()).isEqualTo("127.0.0.1");
    assertThat(http.port()).isEqualTo(8080);
    assertThat(http.tokenRequired()).isFalse();
    assertThat(http.tls()).isFalse();
    assertThat(http.allowedOrigins()).isEmpty();
  }

  @Test
  @DisplayName("TLS needs both the certificate and the key; the error names the missing key")
  void tlsPair() {
    assertThatThrownBy(() -> load(Map.of("STOPSIGN_HTTP_TLS_CERT", "/etc/cert.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config: http.tls_key = ");
    HttpConfig tls =
        load(Map.of("STOPSIGN_HTTP_TLS_CERT", "/c.pem", "STOPSIGN_HTTP_TLS_KEY", "/k.pem"));
    assertThat(tls.tls()).isTrue();
  }

  @Test
  @DisplayName(
      "allowed origins are * or scheme://host[:port]; anything else is refused with the value")
  void origins() {
    assertThat(
            load(Map.of(
                    "STOPSIGN_HTTP_ALLOWED_ORIGINS", "[\"https://cams.example.com:8443\", \"*\"]"))
                .allowedOrigins())
        .containsExactly("https://cams.example.com:8443", "*");
    assertThatThrownBy(
            () -> load(Map.of("STOPSIGN_HTTP_ALLOWED_ORIGINS", "[\"cams.example.com/path\"]")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.allowed_origins")
        .hasMessageContaining("cams.example.com/path");
  }
}
