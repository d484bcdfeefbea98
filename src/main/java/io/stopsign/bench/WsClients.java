package io.stopsign.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Real Vert.x WebSocket clients on loopback that count the metadata messages each receives and
 * record receive time minus the message's {@code ts_utc} (wall clock, milliseconds). A message is
 * read from its bytes without decoding it to a String: the clients share the machine with the hub
 * they measure, so they take as little of it as a client can.
 */
final class WsClients {
  private static final byte[] TS = "{\"ts_utc\":".getBytes(StandardCharsets.US_ASCII);
  private final WebSocketClient client;
  private final AtomicLongArray received;
  private final double[] latencies;
  private final AtomicInteger samples = new AtomicInteger();
  private volatile boolean recording = true;
  private final List<ClientWebSocket> sockets = new ArrayList<>();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<boolean[]> known = ThreadLocal.withInitial(() -> new boolean[1]);

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
    socket.handler(data -> onMessage(index, data));
    synchronized (sockets) {
      sockets.add(socket);
    }
    return socket
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .mapEmpty();
  }

  private void onMessage(int index, Buffer data) {
    boolean[] seen = known.get();
    if (!seen[0]) {
      seen[0] = true;
      threads.add(Thread.currentThread());
    }
    Instant now = Instant.now();
    long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    long tsMicros = tsMicros(data);
    if (tsMicros < 0) {
      return; // hello and replies
    }
    received.incrementAndGet(index);
    if (recording) {
      int slot = samples.getAndIncrement();
      if (slot < latencies.length) {
        latencies[slot] = (nowMicros - tsMicros) / 1000.0;
      }
    }
  }

  /**
   * The message's {@code ts_utc} in microseconds when it starts the message (metadata), else -1;
   * read in place, as Java writes a double ({@code 1.764664666123E9}).
   */
  static long tsMicros(Buffer data) {
    int n = data.length();
    if (n <= TS.length) {
      return -1;
    }
    for (int i = 0; i < TS.length; i++) {
      if (data.getByte(i) != TS[i]) {
        return -1;
      }
    }
    long mantissa = 0;
    int fractionDigits = -1; // -1 before the point
    int exponent = 0;
    int sign = 1;
    boolean inExponent = false;
    for (int i = TS.length; i < n; i++) {
      byte b = data.getByte(i);
      if (b >= '0' && b <= '9') {
        if (inExponent) {
          exponent = exponent * 10 + (b - '0');
        } else if (mantissa < Long.MAX_VALUE / 100) {
          mantissa = mantissa * 10 + (b - '0');
          fractionDigits += fractionDigits >= 0 ? 1 : 0;
        }
      } else if (b == '.' && fractionDigits < 0 && !inExponent) {
        fractionDigits = 0;
      } else if (b == 'E' && !inExponent) {
        inExponent = true;
      } else if (b == '-' && inExponent) {
        sign = -1;
      } else {
        break;
      }
    }
    int scale = sign * exponent - Math.max(fractionDigits, 0) + 6;
    return Math.round(mantissa * Math.pow(10, scale));
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

  /** The threads the clients read on so far. */
  Set<Thread> threads() {
    return Set.copyOf(threads);
  }

  /** Each client's message count so far. */
  long[] receivedCounts() {
    long[] counts = new long[received.length()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = received.get(i);
    }
    return counts;
  }

  /** The fewest messages any client has received. */
  long fewest() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < received.length(); i++) {
      min = Math.min(min, received.get(i));
    }
    return received.length() == 0 ? 0 : min;
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
