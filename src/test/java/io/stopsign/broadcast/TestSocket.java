package io.stopsign.broadcast;

import io.stopsign.web.WebStack;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real Vert.x WebSocket client that records every text message it receives, as JSON. */
final class TestSocket implements AutoCloseable {
  final WebSocketClient client;
  final WebSocket socket;
  final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Short> closed = new CompletableFuture<>();
  JsonObject hello;

  private TestSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  static TestSocket connect(Vertx vertx, int port, String uri) throws Exception {
    return connect(vertx, port, uri, new WebSocketClientOptions());
  }

  static TestSocket connect(Vertx vertx, int port, String uri, WebSocketClientOptions options)
      throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(options);
    ClientWebSocket socket = client.webSocket();
    TestSocket test = new TestSocket(client, socket);
    // handlers before connecting: the server's hello may arrive before connect() returns here
    socket.textMessageHandler(text -> test.received.add(new JsonObject(text)));
    socket.closeHandler(v -> test.closed.complete(socket.closeStatusCode()));
    WebStack.await(
        socket.connect(
            new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)));
    return test;
  }

  /**
   * The next message matching {@code filter} within the timeout (others are discarded), or null.
   */
  JsonObject next(Predicate<JsonObject> filter, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject message = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (message == null || filter.test(message)) {
        return message;
      }
    }
  }

  JsonObject nextOfType(String type) throws InterruptedException {
    return next(m -> type.equals(m.getString("type")), 10_000);
  }

  @Override
  public void close() throws Exception {
    if (!socket.isClosed()) {
      WebStack.await(socket.close());
    }
    WebStack.await(client.close());
  }
}
