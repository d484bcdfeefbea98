package io.stopsign.web;

import static io.stopsign.web.WebStack.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.web.WebStack.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** DNS rebinding (Host allowlist) and the browser-side protections on every answer. */
@ExtendWith(VertxExtension.class)
class WebSecurityTest {
  @TempDir Path dataDir;
  private WebStack stack;

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private Reply get(Vertx vertx, String uri, String host) throws Exception {
    HttpClient http = vertx.createHttpClient();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(stack.port)
            .setURI(uri)
            .putHeader("host", host);
    return stack.get(http, options);
  }

  @Test
  @DisplayName(
      "with no token, a request named for another host (DNS rebinding) gets 421; the bind address,"
          + " localhost, IP addresses and http.allowed_hosts are served")
  void hostAllowlist(Vertx vertx) throws Exception {
    stack =
        WebStack.start(
            vertx,
            WebStack.config(dataDir, Map.of("http.allowed_hosts", "cams.example.com")),
            null);
    int port = stack.port;
    Reply rebound = get(vertx, "/api/cameras", "attacker.example:" + port);
    assertThat(rebound.status()).isEqualTo(421);
    JsonObject error = new JsonObject(rebound.body());
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("error", "detail");
    assertThat(error.getString("error")).isEqualTo("misdirected_request");
    assertThat(error.getString("detail")).contains("attacker.example", "http.allowed_hosts");
    assertThat(get(vertx, "/", "attacker.example").status()).isEqualTo(421);
    assertThat(get(vertx, "/ws", "attacker.example").status()).isEqualTo(421);
    for (String host :
        List.of(
            "127.0.0.1:" + port,
            "localhost:" + port,
            "LOCALHOST.",
            "10.1.2.3:" + port,
            "[::1]:" + port,
            "cams.example.com",
            "Cams.Example.com:443")) {
      assertThat(get(vertx, "/api/cameras", host).status()).as(host).isEqualTo(200);
    }
  }

  @Test
  @DisplayName(
      "a query string that is not percent-encoding answers 400 and a form or multipart body 415,"
          + " not 500")
  void undecodableRequests(Vertx vertx) throws Exception {
    stack = WebStack.start(vertx, WebStack.config(dataDir, Map.of()), null);
    Reply badQuery = get(vertx, "/api/cameras?x=%zz", "127.0.0.1");
    assertThat(badQuery.status()).isEqualTo(400);
    assertThat(new JsonObject(badQuery.body()).getString("detail")).contains("percent-encoding");
    assertThat(get(vertx, "/?x=%e", "127.0.0.1").status()).isEqualTo(400);
    assertThat(get(vertx, "/api/passes/%zz", "127.0.0.1").status()).isEqualTo(400);
    HttpClient http = vertx.createHttpClient();
    int form =
        await(
            http.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost("127.0.0.1")
                        .setPort(stack.port)
                        .setURI("/api/cameras")
                        .putHeader("content-type", "multipart/form-data; boundary=x"))
                .compose(req -> req.send("--x--"))
                .map(res -> res.statusCode()));
    assertThat(form).isEqualTo(415);
  }

  @Test
  @DisplayName("\"*\" in http.allowed_hosts serves any name")
  void anyHost(Vertx vertx) throws Exception {
    stack =
        WebStack.start(vertx, WebStack.config(dataDir, Map.of("http.allowed_hosts", "*")), null);
    assertThat(get(vertx, "/api/cameras", "whatever.example").status()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "every answer carries a self-only CSP with frame-ancestors 'none', nosniff and DENY framing;"
          + " no HSTS over plain HTTP")
  void securityHeaders(Vertx vertx) throws Exception {
    stack =
        WebStack.start(
            vertx,
            WebStack.config(dataDir, Map.of("mediamtx.base_url", "http://mediamtx:8888")),
            null);
    for (String uri : List.of("/", "/analytics.html", "/api/cameras", "/healthz", "/nope")) {
      Reply r = get(vertx, uri, "127.0.0.1");
      String csp = r.headers().get("content-security-policy");
      assertThat(csp).as(uri).contains("default-src 'self'", "script-src 'self';");
      assertThat(csp).as(uri).contains("frame-ancestors 'none'", "object-src 'none'");
      assertThat(csp)
          .as(uri)
          .doesNotContain("unsafe-eval")
          .doesNotContainPattern("script-src[^;]*unsafe-inline");
      assertThat(csp)
          .as("the page fetches MediaMTX's HLS and WHEP")
          .contains("connect-src 'self' http://mediamtx:8888 http://mediamtx:8889");
      assertThat(r.headers().get("x-content-type-options")).as(uri).isEqualTo("nosniff");
      assertThat(r.headers().get("x-frame-options")).as(uri).isEqualTo("DENY");
      assertThat(r.headers().get("strict-transport-security")).as(uri).isNull();
    }
  }

  @Test
  @DisplayName(
      "over rate_limit_per_second an address gets 429 with Retry-After on the API and the"
          + " WebSocket; probes and pages are not limited")
  void rateLimit(Vertx vertx) throws Exception {
    stack =
        WebStack.start(
            vertx, WebStack.config(dataDir, Map.of("http.rate_limit_per_second", "2")), null);
    Reply limited = null;
    int served = 0;
    for (int i = 0; i < 50 && limited == null; i++) {
      Reply r = get(vertx, "/api/cameras", "127.0.0.1");
      if (r.status() == 429) {
        limited = r;
      } else {
        assertThat(r.status()).isEqualTo(200);
        served++;
      }
    }
    assertThat(limited).as("429 after the burst").isNotNull();
    assertThat(served).as("the burst is twice the rate").isGreaterThanOrEqualTo(4);
    assertThat(Integer.parseInt(limited.headers().get("retry-after"))).isBetween(1, 2);
    assertThat(new JsonObject(limited.body()).getString("error")).isEqualTo("too_many_requests");
    assertThat(get(vertx, "/ws", "127.0.0.1").status()).isEqualTo(429);
    assertThat(get(vertx, "/healthz", "127.0.0.1").status()).isEqualTo(200);
    assertThat(get(vertx, "/", "127.0.0.1").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("the limiter forgets quiet addresses, so its memory follows the active clients")
  void rateLimiterPrunes() {
    RateLimiter limiter = new RateLimiter(10);
    long t0 = 1_000_000_000L;
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.take("10.0.0." + i, t0)).isZero();
    }
    assertThat(limiter.tracked()).isEqualTo(1000);
    limiter.prune(t0 + 5_000_000_000L);
    assertThat(limiter.tracked()).isZero();
    limiter.close();
  }

  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern HANDLER =
      Pattern.compile("\\son[a-z]+\\s*=|javascript:", Pattern.CASE_INSENSITIVE);

  @Test
  @DisplayName("no page has an inline script, event handler attribute or javascript: URL (CSP)")
  void noInlineScript() throws IOException {
    List<Path> pages;
    try (Stream<Path> files = Files.walk(Path.of("src/main/resources"))) {
      pages = files.filter(p -> p.toString().endsWith(".html")).toList();
    }
    assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
    for (Path page : pages) {
      String html = Files.readString(page);
      assertThat(INLINE_SCRIPT.matcher(html).find()).as(page + " inline <script>").isFalse();
      assertThat(HANDLER.matcher(html).find()).as(page + " on...= handler").isFalse();
    }
    // nor do the scripts evaluate strings as code (CSP has no 'unsafe-eval')
    try (Stream<Path> files = Files.walk(Path.of("src/main/resources/webroot/js"))) {
      for (Path script : files.filter(p -> p.toString().endsWith(".js")).toList()) {
        assertThat(Files.readString(script))
            .as(script.toString())
            .doesNotContain("eval(", "new Function(", "javascript:");
      }
    }
    try (InputStream in = WebSecurityTest.class.getResourceAsStream("/webroot/index.html")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("<script");
    }
  }
}
