package io.stopsign.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may use the service: the bearer token (when {@code http.token} is set) and, for the
 * WebSocket, the page's origin. Browsers cannot set headers on a WebSocket, so the token also comes
 * as {@code ?access_token=}, and a browser trades it once for a signed session cookie (a page
 * opened with that parameter, or {@code POST /api/session}); the browser never keeps the token
 * itself.
 */
final class AccessGuard {
  static final String QUERY = "access_token";

  private final byte[] token;
  private final SessionCookies sessions;
  private final List<String> allowedOrigins;

  AccessGuard(HttpConfig http) {
    this.token = http.tokenRequired() ? http.token().getBytes(StandardCharsets.UTF_8) : null;
    this.sessions = new SessionCookies(http.sessions(), http.tls());
    this.allowedOrigins = http.allowedOrigins().stream().map(AccessGuard::normalise).toList();
  }

  /** Router handler: passes requests that carry the token (or all when none is configured). */
  void handle(RoutingContext ctx) {
    if (token == null) {
      ctx.next();
      return;
    }
    HttpServerRequest request = ctx.request();
    String header = request.getHeader("Authorization");
    if (header != null
        && header.regionMatches(true, 0, "Bearer ", 0, 7)
        && matches(header.substring(7).strip())) {
      ctx.next();
      return;
    }
    Cookie cookie = request.getCookie(SessionCookies.NAME);
    if (cookie != null && sessions.valid(cookie.getValue(), nowSeconds())) {
      ctx.next();
      return;
    }
    String query = request.getParam(QUERY);
    if (matches(query)) {
      if (request.method() == HttpMethod.GET && isPage(request.path())) {
        rememberAndRedirect(ctx);
      } else {
        ctx.next();
      }
      return;
    }
    ErrorResponses.send(
        ctx,
        401,
        "a token is required: send Authorization: Bearer <token>, use ?access_token=<token> on the"
            + " WebSocket, or open /?access_token=<token> once in the browser");
  }

  /**
   * {@code POST /api/session} with {@code Authorization: Bearer <token>}: sets the session cookie
   * (204), or 401 for a wrong or missing token.
   */
  void login(RoutingContext ctx) {
    if (token == null) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null
        || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || !matches(header.substring(7).strip())) {
      ErrorResponses.send(ctx, 401, "send the token as Authorization: Bearer <token>");
      return;
    }
    ctx.response()
        .addCookie(sessions.issue(nowSeconds()))
        .putHeader("cache-control", "no-store")
        .setStatusCode(204)
        .end();
  }

  /** {@code DELETE /api/session}: ends the browser's session (the cookie is cleared). */
  void logout(RoutingContext ctx) {
    ctx.response()
        .addCookie(sessions.cleared())
        .putHeader("cache-control", "no-store")
        .setStatusCode(204)
        .end();
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /**
   * A WebSocket may be opened by a page of this host, by a configured origin, or by a non-browser
   * client (no Origin header; the token protects those).
   */
  boolean originAllowed(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null
        || allowedOrigins.contains("*")
        || allowedOrigins.contains(normalise(origin))) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      HostAndPort authority = request.authority();
      if (uri.getHost() == null || authority == null) {
        return false;
      }
      int originPort = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
      int hostPort = authority.port() >= 0 ? authority.port() : (request.isSSL() ? 443 : 80);
      return stripBrackets(uri.getHost()).equalsIgnoreCase(stripBrackets(authority.host()))
          && originPort == hostPort;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private boolean matches(String candidate) {
    return candidate != null
        && !candidate.isEmpty()
        && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** Sets the session cookie and sends the browser to the same address without the token in it. */
  private void rememberAndRedirect(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ctx.response().addCookie(sessions.issue(nowSeconds()));
    StringBuilder target = new StringBuilder(request.path());
    char separator = '?';
    for (Map.Entry<String, String> param : request.params()) {
      if (!param.getKey().equals(QUERY)) {
        target
            .append(separator)
            .append(encode(param.getKey()))
            .append('=')
            .append(encode(param.getValue()));
        separator = '&';
      }
    }
    ctx.response()
        .setStatusCode(303)
        .putHeader("location", target.toString())
        .putHeader("cache-control", "no-store")
        .end();
  }

  private static boolean isPage(String path) {
    return !(path.startsWith("/api/")
        || path.startsWith("/hls/")
        || path.equals("/ws")
        || path.equals("/metrics"));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String normalise(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
