package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.OnContext;
import io.stopsign.testing.TestDb;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated hostile requests and WebSocket frames against the running service (web role on the test
 * database): nothing answers 5xx or leaks a stack trace or SQL, and it still serves after.
 */
class FuzzTest {
  private static final int REQUESTS = 5000;
  private static final int FRAMES = 1000;
  private static final String[] PATHS = {
    "/",
    "/index.html",
    "/analytics.html",
    "/js/app.js",
    "/api/passes",
    "/api/passes/rescore",
    "/api/stats",
    "/api/records",
    "/api/session-metrics",
    "/api/cameras",
    "/api/cameras/cam1/geometry",
    "/api/cameras/cam1/frame",
    "/api/openapi.yaml",
    "/api/docs/",
    "/hls/cam1/index.m3u8",
    "/hls/../../etc/passwd",
    "/hls/cam1/%2e%2e/x.ts",
    "/metrics",
    "/ready",
    "/healthz",
    "/ws",
    "/api/nothing",
    "/%00",
    "/api/passes/%zz"
  };
  private static final String[] PARAMS = {
    "from", "to", "camera", "verdict", "limit", "cursor", "bucket", "tz", "access_token", "x"
  };
  private static final String[] VALUES = {
    "",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "-5",
    "0",
    "99999999999999999999",
    "2024-13-45",
    "2024-09-13T08:00:00Z",
    "1726214400.5",
    "cam1",
    "full",
    "hour",
    "day",
    "Europe/Paris",
    "' OR 1=1 --",
    "%00",
    "%zz",
    "%ff%fe",
    "../../etc",
    "\u00e9\u6f22",
    "[]",
    "{}",
    "null",
    "0x1F",
    "a".repeat(300),
    "b".repeat(5000)
  };
  private static final String[] TYPES = {
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/json; charset=utf-16",
    "",
    "*/*"
  };

  @TempDir Path dir;

  @Test
  @DisplayName(
      "5,000 generated requests over every route and 1,000 WebSocket frames: no 5xx, no stack"
          + " trace or SQL in any answer, still serving, memory bounded")
  void fuzz() throws Exception {
    Path file = dir.resolve("stopsign.yaml");
    Files.writeString(
        file,
        ("http: {port: 0, rate_limit_per_second: 0, ws_max_clients_per_address: 50}\n"
                + "data_dir: %s\ndb: {url: \"%s\"}\nroles: [web]\n"
                + "cameras:\n  - id: cam1\n    source: testpattern\n"
                + "    stop_zone: [[10, 10], [200, 10], [200, 200], [10, 200]]\n")
            .formatted(dir, TestDb.url()));
    StopSignConfig config = ConfigLoader.load(file, null, Map.of(), new Properties());
    Service service = await(Service.start(config));
    try {
      Vertx vertx = service.vertx();
      int port = service.httpPort();
      long heapBefore = usedHeap();
      Random random = new Random(13);
      HttpClient http =
          vertx.createHttpClient(
              new HttpClientOptions().setDecompressionSupported(true),
              new PoolOptions().setHttp1MaxSize(16));
      Map<Integer, Integer> byStatus = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      Context client = vertx.getOrCreateContext(); // one event loop: requests in seed order
      for (int batch = 0; batch < REQUESTS / 50; batch++) {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          answers.add(OnContext.call(client, () -> request(http, port, random, byStatus)));
        }
        for (Future<String> answer : answers) {
          String problem = await(answer.otherwise(e -> null));
          if (problem != null && problems.size() < 20) {
            problems.add(problem);
          }
        }
      }
      int sent = frames(vertx, port, random);
      System.out.printf(
          "fuzz: %d requests by status %s; %d WebSocket frames%n", REQUESTS, byStatus, sent);
      assertThat(problems).isEmpty();
      assertThat(byStatus.values().stream().mapToInt(Integer::intValue).sum())
          .as("every request answered")
          .isGreaterThanOrEqualTo(REQUESTS * 95 / 100);
      assertThat(sent).isGreaterThanOrEqualTo(FRAMES);
      assertThat(await(health(vertx, client, port)))
          .as("/healthz after the fuzzing")
          .startsWith("200 ")
          .contains("UP");
      long grown = usedHeap() - heapBefore;
      System.out.printf("fuzz: heap grew by %d MB%n", grown >> 20);
      assertThat(grown).as("heap growth").isLessThan(256L << 20);
    } finally {
      service.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }
  }

  /**
   * GET /healthz on a connection of its own, from the client context, with a deadline: a pooled
   * connection the fuzzing left behind (closed by the server after a refused request, or with
   * unread bytes) must not make "still serving" hang or fail for the client's sake.
   */
  private static Future<String> health(Vertx vertx, Context client, int port) {
    HttpClient fresh = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    RequestOptions get =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/healthz")
            .setTimeout(20_000);
    return OnContext.call(
        client,
        () ->
            fresh
                .request(get)
                .compose(HttpClientRequest::send)
                .compose(res -> res.body().map(body -> res.statusCode() + " " + body))
                .eventually(fresh::close));
  }

  /** One generated request; completes with a problem description, or null when it was fine. */
  private static Future<String> request(
      HttpClient http, int port, Random random, Map<Integer, Integer> byStatus) {
    HttpMethod method =
        pick(
            random,
            new HttpMethod[] {
              HttpMethod.GET, HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.POST,
              HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.HEAD, HttpMethod.OPTIONS,
                  HttpMethod.PATCH
            });
    String path = pick(random, PATHS);
    if (random.nextInt(6) == 0) {
      // a real client encodes spaces; a raw space would be no HTTP request line at all
      path =
          "/api/passes/"
              + (random.nextBoolean() ? UUID.randomUUID() : pick(random, VALUES))
                  .toString()
                  .replace(" ", "%20");
      if (random.nextBoolean()) {
        path += "/snapshot";
      }
    }
    StringBuilder uri = new StringBuilder(path);
    int params = random.nextInt(4);
    for (int i = 0; i < params; i++) {
      uri.append(i == 0 ? '?' : '&')
          .append(pick(random, PARAMS))
          .append('=')
          .append(pick(random, VALUES).replace(" ", "%20").replace("&", "%26"));
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(uri.toString())
            .setTimeout(20_000);
    if (random.nextInt(10) == 0) {
      options.putHeader("host", pick(random, new String[] {"evil.example", "localhost", "[::1]"}));
    }
    if (random.nextInt(5) == 0) {
      options.putHeader("authorization", "Bearer " + pick(random, VALUES));
    }
    String type = pick(random, TYPES);
    if (!type.isEmpty()) {
      options.putHeader("content-type", type);
    }
    if (random.nextInt(10) == 0) {
      options.putHeader("content-encoding", "gzip");
    }
    Buffer body = body(random);
    return http.request(options)
        .compose(
            req ->
                method == HttpMethod.HEAD || method == HttpMethod.GET && random.nextBoolean()
                    ? req.send()
                    : req.send(body))
        .compose(
            res ->
                res.body()
                    .map(
                        b -> {
                          synchronized (byStatus) {
                            byStatus.merge(res.statusCode(), 1, Integer::sum);
                          }
                          String contentType = String.valueOf(res.getHeader("content-type"));
                          String text = b.toString();
                          // /ready answers 503 when not ready: that is its contract
                          boolean notReady =
                              res.statusCode() == 503 && uri.toString().startsWith("/ready");
                          if (res.statusCode() >= 500 && !notReady) {
                            return method + " " + uri + " -> " + res.statusCode() + " " + text;
                          }
                          boolean ours =
                              contentType.startsWith("application/json")
                                  || contentType.startsWith("text/plain");
                          if (ours
                              && (text.contains("Exception")
                                  || text.contains("\tat ")
                                  || text.contains("SELECT ")
                                  || text.contains("io.stopsign")
                                  || text.contains("io.vertx"))) {
                            return method + " " + uri + " leaked: " + text;
                          }
                          return null;
                        }));
  }

  private static Buffer body(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> Buffer.buffer();
      case 1 -> {
        byte[] bytes = new byte[random.nextInt(4096)];
        random.nextBytes(bytes);
        yield Buffer.buffer(bytes);
      }
      case 2 -> Buffer.buffer("[".repeat(5000) + "]".repeat(5000));
      case 3 ->
          Buffer.buffer(
              "{\"camera\":\"cam1\",\"from\":"
                  + pick(random, new String[] {"1e400", "\"x\"", "null", "-1", "1726214400"})
                  + ",\"to\":"
                  + pick(random, new String[] {"1e400", "[]", "{}", "1726300800", "\"2024-09-14\""})
                  + ",\"thresholds\":{\"stop_speed\":"
                  + pick(random, new String[] {"1e400", "\"fast\"", "-1", "3", "{}"})
                  + "}}");
      case 4 -> Buffer.buffer("{\"a\":".repeat(2000) + "1" + "}".repeat(2000));
      default -> Buffer.buffer(pick(random, VALUES));
    };
  }

  /** Sends FRAMES hostile frames over WebSockets, reconnecting whenever the server closes one. */
  private static int frames(Vertx vertx, int port, Random random) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    int sent = 0;
    WebSocket socket = null;
    try {
      while (sent < FRAMES) {
        if (socket == null || socket.isClosed()) {
          socket =
              await(
                  client.connect(
                      new WebSocketConnectOptions()
                          .setHost("127.0.0.1")
                          .setPort(port)
                          .setURI("/ws")));
        }
        Future<Void> write =
            switch (random.nextInt(6)) {
              case 0 -> socket.writeTextMessage(pick(random, VALUES));
              case 1 -> {
                byte[] bytes = new byte[random.nextInt(2048)];
                random.nextBytes(bytes);
                yield socket.writeBinaryMessage(Buffer.buffer(bytes));
              }
              case 2 -> socket.writeTextMessage("[".repeat(20_000) + "]".repeat(20_000));
              case 3 -> socket.writeTextMessage("x".repeat(70_000));
              case 4 ->
                  socket.writeTextMessage(
                      "{\"type\":\"subscribe\",\"cameras\":" + pick(random, VALUES) + "}");
              default -> socket.writeTextMessage("{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
            };
        await(write.otherwise((Void) null));
        sent++;
      }
      // handler before connecting: the hello may come before connect() completes here
      io.vertx.core.http.ClientWebSocket last = client.webSocket();
      java.util.concurrent.CompletableFuture<String> first =
          new java.util.concurrent.CompletableFuture<>();
      last.textMessageHandler(first::complete);
      await(
          last.connect(
              new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")));
      String hello = first.get(30, TimeUnit.SECONDS);
      assertThat(hello).contains("hello");
    } finally {
      await(client.close());
    }
    return sent;
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
