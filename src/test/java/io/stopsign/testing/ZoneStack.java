package io.stopsign.testing;

import io.stopsign.ConfigLoader;
import io.stopsign.Service;
import io.stopsign.StopSignConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The whole service in this JVM on the shared test database with one test-pattern camera (320x240,
 * 10 fps) of its own id, so a stored geometry never leaks into another test; restartable on the
 * same data dir and database, as a restarted process would be.
 */
public final class ZoneStack implements AutoCloseable {
  public static final int WIDTH = 320;
  public static final int HEIGHT = 240;

  private final Path config;
  private final String token;
  private final HttpClient http = HttpClient.newHttpClient();
  private Service service;

  private ZoneStack(Path config, String token) {
    this.config = config;
    this.token = token;
  }

  /**
   * @param token http.token, or null for none
   */
  public static ZoneStack start(Path dataDir, String camera, String token) throws Exception {
    Path file = dataDir.resolve("stopsign.yaml");
    Files.writeString(
        file,
        ("http: {port: 0%s}\ndata_dir: %s\ndb: {url: \"%s\"}\n"
                + "model: {path: %s, family: fastestdet}\n"
                + "cameras:\n  - id: %s\n    source: testpattern?size=%dx%d&rate=10\n"
                + "    stop_zone: [[40, 40], [200, 40], [200, 160], [40, 160]]\n"
                + "    pre_stop_line: [[40, 200], [200, 200]]\n"
                + "    capture_line: [[40, 185], [200, 185]]\n")
            .formatted(
                token == null ? "" : ", token: \"" + token + "\"",
                dataDir,
                TestDb.url(),
                Fixtures.path("models/fastestdet.onnx"),
                camera,
                WIDTH,
                HEIGHT));
    ZoneStack stack = new ZoneStack(file, token);
    stack.boot();
    return stack;
  }

  private void boot() throws Exception {
    StopSignConfig loaded = ConfigLoader.load(config, null, Map.of(), new Properties());
    service =
        Service.start(loaded).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  /** Stops the service and starts a new one on the same config, data dir and database. */
  public void restart() throws Exception {
    close();
    boot();
  }

  public int port() {
    return service.httpPort();
  }

  public String base() {
    return "http://127.0.0.1:" + port();
  }

  /** A request with the token (when there is one) or with {@code auth} when not null. */
  public HttpResponse<String> send(String method, String path, String body, String auth)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json");
    String bearer = auth != null ? auth : token;
    if (bearer != null && !bearer.isEmpty()) {
      b.header("authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> put(String path, JsonObject body) throws Exception {
    return send("PUT", path, body.encode(), null);
  }

  /** The camera's entry in GET /api/cameras. */
  public JsonObject camera(String id) throws Exception {
    HttpResponse<String> r = send("GET", "/api/cameras", null, null);
    for (Object o : new JsonArray(r.body())) {
      if (o instanceof JsonObject c && id.equals(c.getString("id"))) {
        return c;
      }
    }
    throw new AssertionError("camera " + id + " not listed: " + r.body());
  }

  /** Waits until the camera has a decoded frame (GET /api/cameras/{id}/frame answers 200). */
  public HttpResponse<byte[]> waitForFrame(String id) throws Exception {
    HttpResponse<byte[]> last = null;
    for (int i = 0; i < 240; i++) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base() + "/api/cameras/" + id + "/frame"))
              .timeout(Duration.ofSeconds(30));
      if (token != null) {
        b.header("authorization", "Bearer " + token);
      }
      last = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (last.statusCode() == 200) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("camera " + id + " never had a frame: " + last.statusCode());
  }

  /**
   * The stop zone the camera's judge draws into its next frame metadata on /ws, once it equals
   * {@code expected} (its own geometry, not what the API says); fails after 60 s.
   */
  public void awaitJudgeZone(String id, JsonArray expected) throws Exception {
    LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    StringBuilder partial = new StringBuilder();
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (token != null) {
      builder.header("authorization", "Bearer " + token);
    }
    WebSocket socket =
        builder
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port() + "/ws?camera=" + id),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      received.add(new JsonObject(partial.toString()));
                      partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    try {
      JsonArray seen = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        JsonObject m = received.poll(1, TimeUnit.SECONDS);
        JsonObject zones = m == null ? null : m.getJsonObject("zones");
        if (zones != null) {
          seen = zones.getJsonArray("stop");
          if (sameZone(seen, expected)) {
            return;
          }
        }
      }
      throw new AssertionError("the judge's zone stayed " + seen + ", expected " + expected);
    } finally {
      socket.abort();
    }
  }

  private static boolean sameZone(JsonArray seen, JsonArray expected) {
    if (seen == null || seen.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < seen.size(); i++) {
      JsonArray a = seen.getJsonArray(i);
      JsonArray b = expected.getJsonArray(i);
      if (Math.abs(a.getDouble(0) - b.getDouble(0)) > 1e-9
          || Math.abs(a.getDouble(1) - b.getDouble(1)) > 1e-9) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws Exception {
    if (service != null) {
      service.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      service = null;
    }
  }
}
