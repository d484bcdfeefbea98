package io.stopsign.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring session cookies: {@code v1.<expiry epoch seconds>.<HMAC-SHA256>}, so the browser
 * never holds the token itself and the server keeps no session table.
 */
final class SessionCookies {
  static final String NAME = "stopsign_session";
  private static final String VERSION = "v1";

  private final SecretKeySpec key;
  private final long ttlSeconds;
  private final boolean secure;

  SessionCookies(SessionSettings settings, boolean tls) {
    byte[] secret;
    if (settings.secret().isEmpty()) {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
    } else {
      secret = settings.secret().getBytes(StandardCharsets.UTF_8);
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.ttlSeconds = settings.hours() * 3600L;
    this.secure = tls || settings.behindTlsProxy();
  }

  /** A new session valid from {@code nowSeconds} (epoch) for the configured hours. */
  Cookie issue(long nowSeconds) {
    String payload = VERSION + "." + (nowSeconds + ttlSeconds);
    return attributes(Cookie.cookie(NAME, payload + "." + sign(payload))).setMaxAge(ttlSeconds);
  }

  /** The cookie that ends the session in the browser (logout). */
  Cookie cleared() {
    return attributes(Cookie.cookie(NAME, "")).setMaxAge(0);
  }

  /** Whether {@code value} was signed by this key and has not expired at {@code nowSeconds}. */
  boolean valid(String value, long nowSeconds) {
    if (value == null) {
      return false;
    }
    int dot = value.lastIndexOf('.');
    if (dot <= 0 || !value.startsWith(VERSION + ".")) {
      return false;
    }
    String payload = value.substring(0, dot);
    byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
    byte[] given = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      return false;
    }
    try {
      return Long.parseLong(payload.substring(VERSION.length() + 1)) > nowSeconds;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private Cookie attributes(Cookie cookie) {
    return cookie
        .setPath("/")
        .setHttpOnly(true)
        .setSecure(secure)
        .setSameSite(CookieSameSite.STRICT);
  }

  private String sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] tag = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
