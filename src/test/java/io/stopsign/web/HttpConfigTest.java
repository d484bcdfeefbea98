package io.stopsign.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.ConfigLoader;
import io.stopsign.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertThatThrownBy(
            () ->
                load(Map.of("STOPSIGN_HTTP_TLS_CERT", "/c.pem", "STOPSIGN_HTTP_TLS_KEY", "/k.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config: http.tls_cert = \"/c.pem\": cannot be read (a PEM file)");
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

  @Test
  @DisplayName("a token shorter than 16 characters is refused beyond loopback, and never printed")
  void shortTokenBeyondLoopback() {
    assertThat(load(Map.of("STOPSIGN_HTTP_TOKEN", "#x")).token()).isEqualTo("#x");
    assertThatThrownBy(
            () -> load(Map.of("STOPSIGN_HTTP_HOST", "0.0.0.0", "STOPSIGN_HTTP_TOKEN", "hunter2")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config: http.token = \"(7 characters)\": a token must have at least 16 characters"
                + " when http.host is not loopback (0.0.0.0)")
        .hasMessageNotContaining("hunter2");
    String strong = "0123456789abcdef";
    assertThat(load(Map.of("STOPSIGN_HTTP_HOST", "0.0.0.0", "STOPSIGN_HTTP_TOKEN", strong)).token())
        .isEqualTo(strong);
  }

  @Test
  @DisplayName(
      "http.token_file reads the token from a file (trailing newline dropped); unreadable is an error")
  void tokenFile(@TempDir Path dir) throws IOException {
    Path secret = dir.resolve("token");
    Files.writeString(secret, "s3cret-token-0123456789\n");
    HttpConfig http =
        load(
            Map.of("STOPSIGN_HTTP_HOST", "0.0.0.0", "STOPSIGN_HTTP_TOKEN_FILE", secret.toString()));
    assertThat(http.token()).isEqualTo("s3cret-token-0123456789");
    assertThat(http.tokenRequired()).isTrue();
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> load(Map.of("STOPSIGN_HTTP_TOKEN_FILE", missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config: http.token_file = \"" + missing + "\": cannot be read: NoSuchFileException");
    Files.writeString(secret, "\n");
    assertThatThrownBy(() -> load(Map.of("STOPSIGN_HTTP_TOKEN_FILE", secret.toString())))
        .hasMessageEndingWith("must hold the token on one line");
    Files.writeString(secret, "short\n");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "STOPSIGN_HTTP_HOST",
                        "10.0.0.5",
                        "STOPSIGN_HTTP_TOKEN_FILE",
                        secret.toString())))
        .hasMessageStartingWith("config: http.token_file = \"(5 characters)\"");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "STOPSIGN_HTTP_TOKEN", "x".repeat(20),
                        "STOPSIGN_HTTP_TOKEN_FILE", secret.toString())))
        .hasMessageEndingWith("set http.token or http.token_file, not both");
  }
}
