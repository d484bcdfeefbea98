package io.stopsign.web;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * {@code http.*}: where the pages, API, WebSocket and probes listen, and how they are protected.
 *
 * @param token bearer token for pages, API and WebSocket; empty = open
 * @param tlsCert PEM certificate chain; empty (with {@code tlsKey}) = plain HTTP
 * @param tlsKey PEM private key matching {@code tlsCert}
 * @param allowedOrigins origins besides the page's own host allowed to open the WebSocket ({@code
 *     https://host[:port]}, or {@code *} for any)
 */
public record HttpConfig(
    String host,
    int port,
    String token,
    String tlsCert,
    String tlsKey,
    List<String> allowedOrigins) {

  public HttpConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Plain HTTP, no extra origins. */
  public HttpConfig(String host, int port, String token) {
    this(host, port, token, "", "", List.of());
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
    String token = r.string("token", "");
    String tlsCert = r.string("tls_cert", "");
    String tlsKey = r.string("tls_key", "");
    if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
      String missing = tlsCert.isEmpty() ? "tls_cert" : "tls_key";
      throw new ConfigException(
          r.key(missing), "", "http.tls_cert and http.tls_key must be set together (PEM files)");
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
    r.done();
    return new HttpConfig(host, port, token, tlsCert, tlsKey, origins);
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
