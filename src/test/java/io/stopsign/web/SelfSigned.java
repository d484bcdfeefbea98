package io.stopsign.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.io.IOException;
import java.nio.file.Path;

/** Self-signed certificates made by the real openssl, and an HTTPS client that accepts them. */
final class SelfSigned {
  /** A self-signed EC pair for {@code cn} in dir/{@code name}.crt and .key: {cert, key}. */
  static Path[] pair(Path dir, String name, String cn) throws IOException, InterruptedException {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=" + cn,
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    if (openssl.waitFor() != 0) {
      throw new IOException("openssl req failed, see " + dir.resolve(name + ".log"));
    }
    return new Path[] {cert, key};
  }

  /** An HTTPS client that trusts any certificate and host name, as the pairs above need. */
  static HttpClient client(Vertx vertx, boolean keepAlive) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setSsl(true)
            .setTrustAll(true)
            .setVerifyHost(false)
            .setKeepAlive(keepAlive));
  }

  private SelfSigned() {}
}
