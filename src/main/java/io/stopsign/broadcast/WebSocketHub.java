package io.stopsign.broadcast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopsign.ops.Meters;
import io.stopsign.ops.StageTimestamps;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected WebSocket clients of one web verticle, which accepts the sockets and feeds the
 * messages ({@link BroadcastFeed}); each message is serialised once and queued to every client that
 * follows its camera. Each client is drained on its own socket's context.
 */
public final class WebSocketHub {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketHub.class);

  private final int clientQueueCapacity;
  private final Map<String, WsClient> clients = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final Counter sent;
  private final Counter dropped;
  private final Gauge clientGauge;
  private final Counter stale;
  private final LatestFrames latest = new LatestFrames();

  /** {@code clientQueueCapacity}: messages waiting per client (config {@code queues.ws_client}). */
  public WebSocketHub(int clientQueueCapacity) {
    if (clientQueueCapacity < 1) {
      throw new IllegalArgumentException("client queue capacity must be >= 1");
    }
    this.clientQueueCapacity = clientQueueCapacity;
    MeterRegistry registry = Meters.registry();
    this.sent =
        Counter.builder("stopsign_ws_messages_sent")
            .description("Messages written to WebSocket clients")
            .register(registry);
    this.dropped =
        Counter.builder("stopsign_ws_messages_dropped")
            .description(
                "Messages dropped (oldest first) for WebSocket clients that read too slowly")
            .register(registry);
    this.stale =
        Counter.builder("stopsign_ws_stale_frames_dropped")
            .description(
                "Metadata frames not sent because a later one of the camera was already sent")
            .register(registry);
    this.clientGauge =
        Gauge.builder("stopsign_ws_clients", clients, Map::size)
            .description("Connected WebSocket clients")
            .register(registry);
  }

  /**
   * Takes over an accepted socket; call on the socket's own context (the upgrade's handler).
   *
   * @param cameras cameras the client follows; empty = all
   */
  public void accept(ServerWebSocket socket, Set<String> cameras) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("accept must run on the socket's Vert.x context");
    }
    String id = Long.toString(nextId.incrementAndGet());
    WsClient client = new WsClient(id, socket, context, clientQueueCapacity, cameras, sent);
    clients.put(id, client);
    socket.textMessageHandler(text -> onText(client, text));
    socket.binaryMessageHandler(
        data ->
            reply(
                client, ClientRequests.error("binary messages are not supported; send JSON text")));
    socket.closeHandler(v -> remove(client));
    socket.exceptionHandler(e -> LOG.debug("ws client {}: {}", id, e.toString()));
    LOG.info(
        "ws client {} connected from {} (cameras {})", id, socket.remoteAddress(), label(cameras));
    reply(
        client,
        new JsonObject()
            .put("type", "hello")
            .put("client", id)
            .put("cameras", ClientRequests.subscribed(client.cameras()).getJsonArray("cameras")));
  }

  /** Queues per-frame metadata (the seed-schema message) to the clients following its camera. */
  public void publishMetadata(FrameMetadata metadata) {
    String runId = metadata.runId() == null ? "" : metadata.runId();
    if (!latest.admit(metadata.camera(), runId, metadata.frame(), metadata.tsUtc())) {
      stale.increment();
      return;
    }
    String text = metadata.toJson().encode();
    deliver(metadata.camera(), text);
    StageTimestamps.mark(metadata.camera(), "ws_emit", metadata.tsUtc());
  }

  /**
   * Queues a completed pass as {@code {"type":"pass",...}}. The trajectory stays out of the live
   * message (the API serves it); a pass without a camera id is ignored.
   */
  public void publishPass(JsonObject pass) {
    if (!(pass.getValue("camera") instanceof String camera)) {
      LOG.warn("pass without a camera id ignored: id={}", pass.getValue("id"));
      return;
    }
    JsonObject message = pass.copy().put("type", "pass");
    message.remove("trajectory");
    deliver(camera, message.encode());
  }

  /**
   * Checks a camera filter from {@code /ws?camera=ID} (repeatable; none = all cameras).
   *
   * @throws IllegalArgumentException with a message fit for the client
   */
  public static Set<String> cameraFilter(List<String> ids) {
    ClientRequests.Filter filter = ClientRequests.cameras(ids);
    if (filter.error() != null) {
      throw new IllegalArgumentException(filter.error());
    }
    return filter.cameras();
  }

  public int clientCount() {
    return clients.size();
  }

  /** Messages dropped so far for the client with this id (as sent in its hello); -1 if gone. */
  public long droppedFor(String clientId) {
    WsClient client = clients.get(clientId);
    return client == null ? -1 : client.dropped();
  }

  /** Closes every client's socket with 1001 (going away); browsers reconnect to another node. */
  public void disconnectAll() {
    for (WsClient client : clients.values()) {
      clients.remove(client.id());
      client.close();
      client.socket().close((short) 1001, "server stopping");
    }
  }

  /** Disconnects every client and unregisters the hub's meters. */
  public void close() {
    disconnectAll();
    Meters.registry().remove(sent);
    Meters.registry().remove(dropped);
    Meters.registry().remove(clientGauge);
    Meters.registry().remove(stale);
  }

  private void deliver(String camera, String text) {
    for (WsClient client : clients.values()) {
      if (client.wants(camera)) {
        int lost = client.offer(text);
        if (lost > 0) {
          dropped.increment(lost);
        }
      }
    }
  }

  private void onText(WsClient client, String text) {
    if (text.length() > ClientRequests.MAX_MESSAGE_CHARS) {
      LOG.info(
          "ws client {} sent {} chars; closing (policy violation)", client.id(), text.length());
      client.socket().close(ClientRequests.POLICY_VIOLATION, "message too large");
      return;
    }
    Set<String> before = client.cameras();
    reply(client, ClientRequests.handle(client, text));
    if (!before.equals(client.cameras())) {
      LOG.info("ws client {} now follows cameras {}", client.id(), label(client.cameras()));
    }
  }

  private void reply(WsClient client, JsonObject message) {
    client.offer(message.encode());
  }

  private void remove(WsClient client) {
    if (clients.remove(client.id()) != null) {
      client.close();
      LOG.info("ws client {} disconnected ({} messages dropped)", client.id(), client.dropped());
    }
  }

  private static String label(Set<String> cameras) {
    return cameras.isEmpty() ? "all" : String.join(",", cameras.stream().sorted().toList());
  }
}
