package io.stopsign.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Polls a running service's {@code /ready} until one of its checks is as a test wants it. */
public final class ReadyChecks {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ReadyChecks() {}

  /**
   * The check {@code id} (e.g. {@code camera.cam1}) of {@code http://127.0.0.1:port/ready} once
   * {@code wanted} holds for it; fails naming {@code what} and the last check seen after {@code
   * limit}.
   */
  public static JsonObject await(
      int port, String id, Predicate<JsonObject> wanted, Duration limit, String what)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
            .timeout(Duration.ofSeconds(30))
            .build();
    long deadline = System.nanoTime() + limit.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
      for (Object c : new JsonObject(body).getJsonArray("checks")) {
        JsonObject check = (JsonObject) c;
        if (id.equals(check.getString("id"))) {
          last = check;
          if (wanted.test(check)) {
            return check;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(id + " never " + what + " within " + limit + "; last: " + last);
  }
}
