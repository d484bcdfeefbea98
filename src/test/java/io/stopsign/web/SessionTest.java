package io.stopsign.web;

import static io.stopsign.web.WebStack.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The browser trades the token for a signed, expiring session cookie and never keeps the token. */
@ExtendWith(VertxExtension.class)
class SessionTest {
  private static final String TOKEN = "a-long-enough-token-for-tests";
  @TempDir Path dataDir;
  private WebStack stack;

  record Reply(int status, List<String> cookies, String body) {}

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private Reply send(Vertx vertx, HttpMethod method, String uri, String... headers)
      throws Exception {
    HttpClient http = vertx.createHttpClient();
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(stack.port).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    return await(
        http.request(options)
            .compose(req -> req.send())
            .compose(
                res ->
                    res.body()
                        .map(body -> new Reply(res.statusCode(), res.cookies(), body.toString()))));
  }

  private static String pair(String setCookie) {
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  @DisplayName(
      "POST /api/session with the token sets an HttpOnly, SameSite=Strict, expiring session cookie"
          + " without the token in it; API, pages and the WebSocket accept it; logout clears it")
  void loginUseLogout(Vertx vertx) throws Exception {
    stack = WebStack.start(vertx, WebStack.config(dataDir, Map.of("http.token", TOKEN)), null);
    Reply wrong = send(vertx, HttpMethod.POST, "/api/session", "Authorization", "Bearer nope");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.cookies()).isEmpty();
    assertThat(send(vertx, HttpMethod.POST, "/api/session").status()).isEqualTo(401);

    Reply login = send(vertx, HttpMethod.POST, "/api/session", "Authorization", "Bearer " + TOKEN);
    assertThat(login.status()).isEqualTo(204);
    assertThat(login.cookies()).hasSize(1);
    String setCookie = login.cookies().get(0);
    assertThat(setCookie)
        .startsWith("stopsign_session=v1.")
        .doesNotContain(TOKEN)
        .contains("Path=/", "SameSite=Strict", "Max-Age=43200")
        .containsIgnoringCase("HttpOnly")
        .doesNotContain("Secure");
    String cookie = pair(setCookie);
    assertThat(send(vertx, HttpMethod.GET, "/api/cameras", "Cookie", cookie).status())
        .isEqualTo(200);
    assertThat(send(vertx, HttpMethod.GET, "/", "Cookie", cookie).status()).isEqualTo(200);

    WebSocketClient ws = vertx.createWebSocketClient();
    WebSocketConnectOptions withCookie =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(stack.port)
            .setURI("/ws")
            .addHeader("Cookie", cookie);
    assertThat(await(ws.connect(withCookie)).isClosed()).isFalse();

    String tampered = cookie.substring(0, cookie.length() - 2) + "AA";
    if (tampered.equals(cookie)) {
      tampered = cookie.substring(0, cookie.length() - 2) + "BB";
    }
    Reply refused = send(vertx, HttpMethod.GET, "/api/cameras", "Cookie", tampered);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("unauthorized");
    String longer = cookie.replaceFirst("v1\\.(\\d+)\\.", "v1.9$1.");
    assertThat(send(vertx, HttpMethod.GET, "/api/cameras", "Cookie", longer).status())
        .as("a cookie whose expiry was pushed out")
        .isEqualTo(401);
    assertThat(
            send(vertx, HttpMethod.GET, "/api/cameras", "Cookie", "stopsign_token=" + TOKEN)
                .status())
        .as("the raw token in a cookie is not a session")
        .isEqualTo(401);

    Reply logout = send(vertx, HttpMethod.DELETE, "/api/session", "Cookie", cookie);
    assertThat(logout.status()).isEqualTo(204);
    assertThat(logout.cookies().get(0)).startsWith("stopsign_session=;").contains("Max-Age=0");
  }

  @Test
  @DisplayName("a page opened with ?access_token= gets a session cookie, not the token")
  void pageLogin(Vertx vertx) throws Exception {
    stack = WebStack.start(vertx, WebStack.config(dataDir, Map.of("http.token", TOKEN)), null);
    Reply page = send(vertx, HttpMethod.GET, "/?access_token=" + TOKEN);
    assertThat(page.status()).isEqualTo(303);
    assertThat(page.cookies().get(0)).startsWith("stopsign_session=v1.").doesNotContain(TOKEN);
  }

  @Test
  @DisplayName("behind a TLS proxy the cookie is Secure and lasts http.session_hours")
  void secureBehindProxy(Vertx vertx) throws Exception {
    stack =
        WebStack.start(
            vertx,
            WebStack.config(
                dataDir,
                Map.of(
                    "http.token", TOKEN,
                    "http.behind_tls_proxy", "true",
                    "http.session_hours", "2")),
            null);
    Reply login = send(vertx, HttpMethod.POST, "/api/session", "Authorization", "Bearer " + TOKEN);
    assertThat(login.cookies().get(0)).contains("Secure", "Max-Age=7200");
  }

  @Test
  @DisplayName(
      "a session is valid until its expiry and not after; another key or a tampered value is"
          + " refused")
  void expiryAndSignature() {
    SessionSettings settings = new SessionSettings("", 1, false);
    SessionCookies sessions = new SessionCookies(settings, false);
    long now = 1_700_000_000L;
    Cookie cookie = sessions.issue(now);
    assertThat(sessions.valid(cookie.getValue(), now)).isTrue();
    assertThat(sessions.valid(cookie.getValue(), now + 3599)).isTrue();
    assertThat(sessions.valid(cookie.getValue(), now + 3600)).isFalse();
    assertThat(new SessionCookies(settings, false).valid(cookie.getValue(), now))
        .as("another process's random key")
        .isFalse();
    SessionSettings shared = new SessionSettings("x".repeat(32), 1, false);
    assertThat(
            new SessionCookies(shared, false)
                .valid(new SessionCookies(shared, false).issue(now).getValue(), now))
        .as("replicas sharing http.session_secret")
        .isTrue();
    for (String bad : List.of("", "v1", "v1.", "v1.x.y", "v2.1.abc", cookie.getValue() + "x")) {
      assertThat(sessions.valid(bad, now)).as(bad).isFalse();
    }
  }
}
