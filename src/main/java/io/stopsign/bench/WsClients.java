package io.stopsign.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Real Vert.x WebSocket clients on loopback that count the metadata messages each receives and
 * record receive time minus the message's {@code ts_utc} (wall clock, milliseconds).
 */
final class WsClients {
  private static final String TS = "\"ts_utc\":";
  private final WebSocketClient client;
  private final AtomicLongArray received;
  private final double[] latencies;
  private final AtomicInteger samples = new AtomicInteger();
  private volatile boolean recording = true;
  private final List<ClientWebSocket> sockets = new ArrayList<>();

  private WsClients(Vertx vertx, int clients, int maxSamples) {
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxConnections(clients + 10).setConnectTimeout(60_000));
    this.received = new AtomicLongArray(clients);
    this.latencies = new double[maxSamples];
  }

  /** Connects {@code clients} sockets to {@code ws://127.0.0.1:port/ws}, 100 at a time. */
  static WsClients connect(Vertx vertx, int port, int clients, int maxSamples) throws Exception {
    WsClients all = new WsClients(vertx, clients, maxSamples);
    for (int from = 0; from < clients; from += 100) {
      List<Future<Void>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(clients, from + 100); i++) {
        batch.add(all.open(port, i));
      }
      Throughput.await(Future.all(batch).toCompletionStage());
    }
    return all;
  }

  private Future<Void> open(int port, int index) {
    ClientWebSocket socket = client.webSocket();
    socket.textMessageHandler(text -> onText(index, text));
    synchronized (sockets) {
      sockets.add(socket);
    }
    return socket
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .mapEmpty();
  }

  private void onText(int index, String text) {
    int at = text.indexOf(TS);
    if (at < 0) {
      return; // hello and replies
    }
    Instant now = Instant.now();
    int end = at + TS.length();
    while (end < text.length() && "0123456789.-E".indexOf(text.charAt(end)) >= 0) {
      end++;
    }
    double ts = Double.parseDouble(text.substring(at + TS.length(), end));
    received.incrementAndGet(index);
    if (recording) {
      int slot = samples.getAndIncrement();
      if (slot < latencies.length) {
        latencies[slot] = (now.getEpochSecond() + now.getNano() / 1e9 - ts) * 1000;
      }
    }
  }

  /** Forgets the latencies so far (after a warm-up). */
  void resetLatencies() {
    samples.set(0);
  }

  void stopRecording() {
    recording = false;
  }

  /** The recorded latencies in ms, sorted. */
  double[] latencies() {
    double[] v = Arrays.copyOf(latencies, Math.min(samples.get(), latencies.length));
    Arrays.sort(v);
    return v;
  }

  long received(int index) {
    return received.get(index);
  }

  int size() {
    return received.length();
  }

  Future<Void> close() {
    return client.close();
  }
}
