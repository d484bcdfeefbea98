package io.stopsign.web;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code http.*}: where the pages, API, WebSocket and probes listen, and how they are protected.
 *
 * @param token bearer token for pages, API and WebSocket ({@code http.token} or the content of
 *     {@code http.token_file}); empty = open
 * @param tlsCert PEM certificate chain; empty (with {@code tlsKey}) = plain HTTP
 * @param tlsKey PEM private key matching {@code tlsCert}
 * @param allowedOrigins origins besides the page's own host allowed to open the WebSocket ({@code
 *     https://host[:port]}, or {@code *} for any)
 * @param allowedHosts Host header names served besides the bind address, localhost and 127.0.0.1
 *     ({@code *} = any)
 * @param limits WebSocket caps, pings and per-address rate limits
 * @param sessions browser session cookies (secret, lifetime, TLS proxy)
 */
public record HttpConfig(
    String host,
    int port,
    String token,
    String tlsCert,
    String tlsKey,
    List<String> allowedOrigins,
    List<String> allowedHosts,
    ClientLimits limits,
    SessionSettings sessions) {

  public HttpConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** Plain HTTP, no extra origins or host names. */
  public HttpConfig(String host, int port, String token) {
    this(
        host,
        port,
        token,
        "",
        "",
        List.of(),
        List.of(),
        ClientLimits.DEFAULTS,
        SessionSettings.DEFAULTS);
  }

  public boolean tls() {
    return !tlsCert.isEmpty();
  }

  public boolean tokenRequired() {
    return !token.isEmpty();
  }

  public static HttpConfig from(ConfigReader r) {
    String host = r.string("host", "127.0.0.1");
    int port = r.integer("port", 8080, 0, 65535);
    String token = token(r, host);
    String tlsCert = r.string("tls_cert", "");
    String tlsKey = r.string("tls_key", "");
    if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
      String missing = tlsCert.isEmpty() ? "tls_cert" : "tls_key";
      throw new ConfigException(
          r.key(missing), "", "http.tls_cert and http.tls_key must be set together (PEM files)");
    }
    if (!tlsCert.isEmpty()) {
      TlsFiles.check(r.key("tls_cert"), tlsCert, r.key("tls_key"), tlsKey);
    }
    List<String> origins = r.strings("allowed_origins", List.of());
    for (String origin : origins) {
      if (!validOrigin(origin)) {
        throw new ConfigException(
            r.key("allowed_origins"),
            origin,
            "each must be * or scheme://host[:port], e.g. https://cams.example.com");
      }
    }
    List<String> hosts = r.strings("allowed_hosts", List.of());
    for (String name : hosts) {
      if (!name.equals("*") && !HOST_NAME.matcher(name).matches()) {
        throw new ConfigException(
            r.key("allowed_hosts"),
            name,
            "each must be * or a host name or address without scheme or port, e.g."
                + " cams.example.com");
      }
    }
    ClientLimits limits = ClientLimits.from(r);
    SessionSettings sessions = SessionSettings.from(r);
    r.done();
    return new HttpConfig(host, port, token, tlsCert, tlsKey, origins, hosts, limits, sessions);
  }

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]+\\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** The shortest token accepted when the service is reachable beyond this machine. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** {@code http.token}, or the content of {@code http.token_file} (a mounted Secret). */
  private static String token(ConfigReader r, String host) {
    String token = r.string("token", "");
    String file = r.string("token_file", "");
    String key = r.key("token");
    if (!file.isEmpty()) {
      if (!token.isEmpty()) {
        throw new ConfigException(
            r.key("token_file"), file, "set http.token or http.token_file, not both");
      }
      token = readTokenFile(r.key("token_file"), file);
      key = r.key("token_file");
    }
    if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH && !isLoopback(host)) {
      // the value itself is a secret: name its length only
      throw new ConfigException(
          key,
          "(" + token.length() + " characters)",
          "a token must have at least "
              + MIN_TOKEN_LENGTH
              + " characters when http.host is not loopback ("
              + host
              + ")");
    }
    return token;
  }

  private static String readTokenFile(String key, String file) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | InvalidPathException | UncheckedIOException e) {
      throw new ConfigException(key, file, "cannot be read: " + e.getClass().getSimpleName());
    }
    // a Secret written with echo ends in a newline that is no part of the token
    String token = text.replaceAll("[\\r\\n]+$", "");
    if (token.isEmpty() || token.contains("\n")) {
      throw new ConfigException(key, file, "must hold the token on one line");
    }
    return token;
  }

  /** Whether {@code host} is reachable from this machine only. */
  public static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }

  private static boolean validOrigin(String origin) {
    if (origin.equals("*")) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
          && uri.getRawQuery() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
