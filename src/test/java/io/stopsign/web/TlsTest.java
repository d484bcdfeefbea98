package io.stopsign.web;

import static io.stopsign.web.WebStack.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSsl;
import io.stopsign.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS: checked at load, served by netty-tcnative's OpenSSL engine, renewed files reloaded. */
@ExtendWith(VertxExtension.class)
class TlsTest {
  @TempDir Path dir;
  private WebStack stack;

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private Path[] pair(String name, String cn) throws Exception {
    return SelfSigned.pair(dir, name, cn);
  }

  private WebStack start(Vertx vertx, Path[] files, Router api) throws Exception {
    return WebStack.start(
        vertx,
        WebStack.config(
            dir.resolve("data"),
            Map.of("http.tls_cert", files[0].toString(), "http.tls_key", files[1].toString())),
        api == null ? null : () -> Future.succeededFuture(api));
  }

  /** The subject of the certificate a fresh connection is served. */
  private String servedSubject(Vertx vertx) throws Exception {
    HttpClient https = SelfSigned.client(vertx, false);
    try {
      return await(
          https
              .request(HttpMethod.GET, stack.port, "127.0.0.1", "/healthz")
              .compose(r -> r.send())
              .compose(
                  r -> {
                    try {
                      X509Certificate served =
                          (X509Certificate) r.request().connection().peerCertificates().get(0);
                      return Future.succeededFuture(served.getSubjectX500Principal().getName());
                    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                      return Future.failedFuture(e);
                    }
                  }));
    } finally {
      await(https.close());
    }
  }

  @Test
  @DisplayName(
      "an unreadable or non-PEM certificate or key stops loading with one line naming the key")
  void checkedAtLoad() throws Exception {
    Path[] good = pair("good", "127.0.0.1");
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(
            () ->
                TlsFiles.check(
                    "http.tls_cert", junk.toString(), "http.tls_key", good[1].toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config: http.tls_cert = ")
        .hasMessageContaining("is not a usable pair")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(
            () ->
                TlsFiles.check(
                    "http.tls_cert", good[0].toString(), "http.tls_key", junk.toString()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(
            () ->
                TlsFiles.check(
                    "http.tls_cert",
                    good[0].toString(),
                    "http.tls_key",
                    dir.resolve("no").toString()))
        .hasMessageStartingWith("config: http.tls_key = ")
        .hasMessageContaining("cannot be read");
    TlsFiles.check("http.tls_cert", good[0].toString(), "http.tls_key", good[1].toString());
  }

  @Test
  @DisplayName(
      "the server side of an HTTPS connection is netty-tcnative's OpenSSL (BoringSSL) engine")
  void openSslServes(Vertx vertx) throws Exception {
    assertThat(OpenSsl.isAvailable()).as(String.valueOf(OpenSsl.unavailabilityCause())).isTrue();
    Router api = Router.router(vertx);
    // reads the server's own SSL session on the service's server
    api.get("/engine")
        .handler(
            ctx ->
                ctx.end(
                    ctx.request().connection().sslSession().getClass().getName()
                        + " "
                        + ctx.request().connection().sslSession().getProtocol()));
    stack = start(vertx, pair("cert", "127.0.0.1"), api);
    String engine =
        stack
            .get(
                SelfSigned.client(vertx, true),
                new RequestOptions().setHost("127.0.0.1").setPort(stack.port).setURI("/api/engine"))
            .body();
    System.out.println("server SSL session: " + engine + "; " + OpenSsl.versionString());
    assertThat(engine).containsIgnoringCase("OpenSsl").doesNotContain("sun.security");
    assertThat(OpenSsl.versionString()).containsIgnoringCase("BoringSSL");
  }

  @Test
  @DisplayName("renewed certificate files are served to new connections without a restart")
  void reloadsRenewedFiles(Vertx vertx) throws Exception {
    Path[] first = pair("first", "first.example");
    stack = start(vertx, first, null);
    assertThat(servedSubject(vertx)).isEqualTo("CN=first.example");
    Path[] second = pair("second", "second.example");
    Files.move(second[1], first[1], StandardCopyOption.REPLACE_EXISTING);
    Files.move(second[0], first[0], StandardCopyOption.REPLACE_EXISTING);
    long deadline = System.nanoTime() + 60_000_000_000L;
    String served = servedSubject(vertx);
    while (!served.equals("CN=second.example") && System.nanoTime() < deadline) {
      await(Future.future(p -> vertx.setTimer(200, id -> p.complete())));
      served = servedSubject(vertx);
    }
    assertThat(served).isEqualTo("CN=second.example");
  }
}
