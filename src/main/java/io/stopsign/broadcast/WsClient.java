package io.stopsign.broadcast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.stopsign.bus.DropOldestQueue;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connected browser: its own bounded drop-oldest queue, drained to the socket on the socket's
 * own event loop only while the socket's write queue has room, so a slow reader loses old messages
 * instead of growing memory or holding back the other clients.
 */
final class WsClient {
  private static final MeterRegistry UNEXPORTED = new CompositeMeterRegistry();
  private final String id;
  private final String address;
  private final ServerWebSocket socket;
  private final Context context;
  private final DropOldestQueue<String> queue;
  private final Counter sent;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile Set<String> cameras;
  private volatile boolean closed;

  WsClient(
      String id,
      ServerWebSocket socket,
      Context context,
      int capacity,
      Set<String> cameras,
      Counter sent,
      String address) {
    this.id = id;
    this.address = address;
    this.socket = socket;
    this.context = context;
    // an unexported registry: a series per connection would grow with every client
    this.queue = new DropOldestQueue<>("ws." + id, capacity, UNEXPORTED);
    this.cameras = Set.copyOf(cameras);
    this.sent = sent;
    socket.drainHandler(v -> drain());
  }

  String id() {
    return id;
  }

  /** The client address it was admitted from; null when admitted without one. */
  String address() {
    return address;
  }

  int queued() {
    return queue.size();
  }

  ServerWebSocket socket() {
    return socket;
  }

  /** The cameras this client follows; empty = all. */
  Set<String> cameras() {
    return cameras;
  }

  void cameras(Set<String> cameras) {
    this.cameras = Set.copyOf(cameras);
  }

  boolean wants(String camera) {
    Set<String> filter = cameras;
    return filter.isEmpty() || filter.contains(camera);
  }

  /** Queues an already-serialised message; returns how many old messages were dropped (0 or 1). */
  int offer(String text) {
    if (closed) {
      return 0;
    }
    int dropped = queue.offer(text);
    if (drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(
          v -> {
            drainScheduled.set(false);
            drain();
          });
    }
    return dropped;
  }

  long dropped() {
    return queue.dropped();
  }

  /** Writes queued messages while the socket accepts them; the drain handler resumes the rest. */
  private void drain() {
    while (!closed && !socket.isClosed() && !socket.writeQueueFull()) {
      String text = queue.poll();
      if (text == null) {
        return;
      }
      socket.writeTextMessage(text);
      sent.increment();
    }
  }

  /** Forgets queued messages and the queue's meters; the socket is closed by its owner. */
  void close() {
    closed = true;
    queue.close();
  }
}
