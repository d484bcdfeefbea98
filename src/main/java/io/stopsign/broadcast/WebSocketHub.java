package io.stopsign.broadcast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopsign.ops.Meters;
import io.stopsign.ops.StageTimestamps;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final int maxClients;
  private final int maxPerAddress;
  private final long pingMs;
  private final Map<String, WsClient> clients = new ConcurrentHashMap<>();
  // places taken (admitted, upgrading or connected), in all and per client address
  private final AtomicInteger taken = new AtomicInteger();
  private final Map<String, AtomicInteger> takenBy = new ConcurrentHashMap<>();
  private final Counter refusedFull;
  private final Counter refusedAddress;
  private final Gauge queuedGauge;
  private final AtomicLong nextId = new AtomicLong();
  private final Counter sent;
  private final Counter dropped;
  private final Gauge clientGauge;
  private final Counter stale;
  private final LatestFrames latest = new LatestFrames();

  /** {@code clientQueueCapacity}: messages waiting per client (config {@code queues.ws_client}). */
  public WebSocketHub(int clientQueueCapacity) {
    this(clientQueueCapacity, 500, 20, 30);
  }

  /**
   * @param maxClients clients at once in all
   * @param maxPerAddress clients at once from one address
   * @param pingSeconds seconds between server pings; two unanswered close the client
   */
  public WebSocketHub(int clientQueueCapacity, int maxClients, int maxPerAddress, int pingSeconds) {
    if (clientQueueCapacity < 1) {
      throw new IllegalArgumentException("client queue capacity must be >= 1");
    }
    this.clientQueueCapacity = clientQueueCapacity;
    this.maxClients = maxClients;
    this.maxPerAddress = maxPerAddress;
    this.pingMs = pingSeconds * 1000L;
    MeterRegistry registry = Meters.registry();
    this.refusedFull =
        Counter.builder("stopsign_ws_refused")
            .description("WebSocket connections refused at a cap")
            .tag("reason", "total")
            .register(registry);
    this.refusedAddress =
        Counter.builder("stopsign_ws_refused")
            .description("WebSocket connections refused at a cap")
            .tag("reason", "per_address")
            .register(registry);
    // one series for all clients: per-connection series would grow with every connection
    this.queuedGauge =
        Gauge.builder("stopsign_ws_client_queued", clients, WebSocketHub::queued)
            .description("Messages waiting for WebSocket clients, all clients together")
            .register(registry);
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
   * Takes a place for a client from {@code address} before its upgrade; on success the caller
   * passes it on to {@link #accept} or gives it back with {@link #release}.
   *
   * @return null when admitted, otherwise why not (for the client)
   */
  public Refusal admit(String address) {
    AtomicInteger mine = takenBy.computeIfAbsent(address, a -> new AtomicInteger());
    if (mine.incrementAndGet() > maxPerAddress) {
      releaseAddress(address);
      refusedAddress.increment();
      return new Refusal(
          true,
          "this address already has "
              + maxPerAddress
              + " WebSocket connections, the most one client may open; close one first");
    }
    if (taken.incrementAndGet() > maxClients) {
      taken.decrementAndGet();
      releaseAddress(address);
      refusedFull.increment();
      return new Refusal(
          false,
          "the service already serves "
              + maxClients
              + " WebSocket clients, its maximum; try again later");
    }
    return null;
  }

  /**
   * Why a connection was not admitted; {@code perAddress}: this client's own cap, not the total.
   */
  public record Refusal(boolean perAddress, String detail) {}

  /** Gives back a place taken by {@link #admit} that {@link #accept} will not use. */
  public void release(String address) {
    taken.decrementAndGet();
    releaseAddress(address);
  }

  private void releaseAddress(String address) {
    AtomicInteger mine = takenBy.get(address);
    if (mine != null && mine.decrementAndGet() <= 0) {
      takenBy.remove(address, mine);
    }
  }

  /**
   * Takes over an accepted socket; call on the socket's own context (the upgrade's handler).
   *
   * @param cameras cameras the client follows; empty = all
   */
  public void accept(ServerWebSocket socket, Set<String> cameras) {
    accept(socket, cameras, null);
  }

  /** As {@link #accept(ServerWebSocket, Set)} for a client admitted from {@code address}. */
  public void accept(ServerWebSocket socket, Set<String> cameras, String address) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("accept must run on the socket's Vert.x context");
    }
    String id = Long.toString(nextId.incrementAndGet());
    WsClient client =
        new WsClient(id, socket, context, clientQueueCapacity, cameras, sent, address);
    clients.put(id, client);
    AtomicLong heard = new AtomicLong(System.nanoTime());
    socket.pongHandler(b -> heard.set(System.nanoTime()));
    socket.textMessageHandler(
        text -> {
          heard.set(System.nanoTime());
          onText(client, text);
        });
    socket.binaryMessageHandler(
        data ->
            reply(
                client, ClientRequests.error("binary messages are not supported; send JSON text")));
    long pinger = context.owner().setPeriodic(pingMs, t -> ping(client, heard.get()));
    socket.closeHandler(
        v -> {
          context.owner().cancelTimer(pinger);
          remove(client);
        });
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
    String text = metadata.encode();
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

  /** Pings the client, or closes it when it answered neither of the last two pings. */
  private void ping(WsClient client, long heardNanos) {
    ServerWebSocket socket = client.socket();
    if (socket.isClosed()) {
      return;
    }
    if (System.nanoTime() - heardNanos > 2 * pingMs * 1_000_000L + pingMs * 500_000L) {
      LOG.info("ws client {} answered no ping for {} ms; closing", client.id(), 2 * pingMs);
      socket.close((short) 1001, "no answer to pings");
      return;
    }
    socket.writePing(Buffer.buffer("stopsign"));
  }

  private static double queued(Map<String, WsClient> clients) {
    long n = 0;
    for (WsClient client : clients.values()) {
      n += client.queued();
    }
    return n;
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
      forget(client);
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
    Meters.registry().remove(queuedGauge);
    Meters.registry().remove(refusedFull);
    Meters.registry().remove(refusedAddress);
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
    if (forget(client)) {
      LOG.info("ws client {} disconnected ({} messages dropped)", client.id(), client.dropped());
    }
  }

  /** Drops the client and gives back its place; false when it was already gone. */
  private boolean forget(WsClient client) {
    if (clients.remove(client.id()) == null) {
      return false;
    }
    client.close();
    if (client.address() != null) {
      release(client.address());
    }
    return true;
  }

  private static String label(Set<String> cameras) {
    return cameras.isEmpty() ? "all" : String.join(",", cameras.stream().sorted().toList());
  }
}
