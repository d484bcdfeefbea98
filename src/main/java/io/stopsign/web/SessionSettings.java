package io.stopsign.web;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;

/**
 * {@code http.*} browser sessions: the page trades the token for a signed, expiring cookie.
 *
 * @param secret HMAC key for the session cookies; empty = a random key per process (sessions end
 *     when it restarts); set one to share sessions between replicas
 * @param hours how long a session lasts
 * @param behindTlsProxy a TLS proxy serves this service to browsers: cookies are Secure
 */
public record SessionSettings(String secret, int hours, boolean behindTlsProxy) {

  public static final SessionSettings DEFAULTS = new SessionSettings("", 12, false);

  /** The shortest configured secret accepted (256 bits of HMAC key as text). */
  static final int MIN_SECRET_LENGTH = 32;

  static SessionSettings from(ConfigReader r) {
    String secret = r.string("session_secret", DEFAULTS.secret);
    if (!secret.isEmpty() && secret.length() < MIN_SECRET_LENGTH) {
      // the value is a secret: name its length only
      throw new ConfigException(
          r.key("session_secret"),
          "(" + secret.length() + " characters)",
          "must have at least " + MIN_SECRET_LENGTH + " characters, or be empty for a random one");
    }
    return new SessionSettings(
        secret,
        r.integer("session_hours", DEFAULTS.hours, 1, 24 * 30),
        r.bool("behind_tls_proxy", DEFAULTS.behindTlsProxy));
  }
}
