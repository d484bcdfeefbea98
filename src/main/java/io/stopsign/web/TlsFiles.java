package io.stopsign.web;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.stopsign.config.ConfigException;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The PEM certificate chain and key of {@code http.tls_*}: checked when the config loads (with the
 * OpenSSL engine that serves them) and watched so that a renewed pair is served without a restart.
 */
final class TlsFiles {
  private final String cert;
  private final String key;
  private String stamp;

  TlsFiles(String cert, String key) {
    this.cert = cert;
    this.key = key;
    this.stamp = stamp();
  }

  /** Throws a one-line {@link ConfigException} unless the pair loads into an OpenSSL context. */
  static void check(String certKey, String cert, String keyKey, String key) {
    for (String[] file : new String[][] {{certKey, cert}, {keyKey, key}}) {
      if (!Files.isReadable(Path.of(file[1]))) {
        throw new ConfigException(file[0], file[1], "cannot be read (a PEM file)");
      }
    }
    String problem = problem(cert, key);
    if (problem != null) {
      throw new ConfigException(
          certKey, cert, "with http.tls_key " + key + " is not a usable pair: " + problem);
    }
  }

  /** Why the pair cannot serve TLS, or null when it can. */
  static String problem(String cert, String key) {
    try {
      SslContextBuilder.forServer(new File(cert), new File(key))
          .sslProvider(SslProvider.OPENSSL)
          .build();
      return null;
    } catch (SSLException | IllegalArgumentException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message =
          root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
      return message.lines().findFirst().orElse("").strip();
    }
  }

  /** The SSL options serving the current files. */
  ServerSSLOptions options() {
    return new ServerSSLOptions()
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key));
  }

  /** Whether either file changed since the last call (modification time or size). */
  boolean changed() {
    String now = stamp();
    if (now.equals(stamp)) {
      return false;
    }
    stamp = now;
    return true;
  }

  private String stamp() {
    StringBuilder s = new StringBuilder();
    for (String file : new String[] {cert, key}) {
      try {
        Path path = Path.of(file);
        s.append(Files.getLastModifiedTime(path).toMillis()).append('/').append(Files.size(path));
      } catch (IOException e) {
        s.append("missing");
      }
      s.append(';');
    }
    return s.toString();
  }
}
