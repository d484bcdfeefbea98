package io.stopsign.broadcast;

import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.FrameTraces;
import io.stopsign.bus.JsonMessage;
import io.stopsign.common.RateLimitedLog;
import io.stopsign.ops.Meters;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a WebSocket hub from the bus: per-frame metadata of each configured camera and completed
 * passes, from whichever node produced them. Owned by the web verticle together with its hub, and
 * run on that verticle's context.
 */
public final class BroadcastFeed {
  private static final Logger LOG = LoggerFactory.getLogger(BroadcastFeed.class);

  private final List<String> cameraIds;
  private final WebSocketHub hub;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Map<String, Timer> sendLatency = new HashMap<>();
  private final RateLimitedLog badMessages = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);

  public BroadcastFeed(List<String> cameraIds, WebSocketHub hub) {
    this.cameraIds = List.copyOf(cameraIds);
    this.hub = hub;
  }

  /** Registers the consumers; call on the owning verticle's context. */
  public Future<?> start(Vertx vertx) {
    for (String camera : cameraIds) {
      // shared by the web verticles of this process, like the hub's other meters: never removed
      sendLatency.put(
          camera,
          Timer.builder("stopsign_ws_send_latency")
              .description(
                  "Time to hand one frame's metadata to every WebSocket client (encode and queue)")
              .tag("camera", camera)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofNanos(10_000))
              .maximumExpectedValue(Duration.ofSeconds(1))
              .register(Meters.registry()));
      MessageConsumer<Object> metadata =
          vertx.eventBus().consumer(Addresses.metadata(camera), this::onMetadata);
      consumers.add(metadata);
    }
    MessageConsumer<Object> passes =
        vertx.eventBus().consumer(Addresses.PASSES_LIVE, message -> onPass(message.body()));
    consumers.add(passes);
    List<Future<Void>> registered = consumers.stream().map(MessageConsumer::completion).toList();
    return Future.all(registered)
        .onSuccess(v -> LOG.info("broadcasting metadata of cameras {} and live passes", cameraIds));
  }

  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void onMetadata(Message<Object> message) {
    Object body = message.body();
    Span span = FrameTraces.startStage("ws_broadcast", FrameTraces.of(message));
    try {
      if (body instanceof FrameMetadata metadata) {
        publish(metadata, span);
      } else if (body instanceof JsonObject json) {
        try {
          publish(FrameMetadata.fromJson(json), span);
        } catch (RuntimeException e) {
          span.setStatus(StatusCode.ERROR, "unreadable metadata");
          badMessage("metadata", e);
        }
      } else {
        badMessage("metadata", new IllegalArgumentException(typeOf(body)));
      }
    } finally {
      span.end();
    }
  }

  /** Fans the metadata out, timed under the frame's span (its trace id is the exemplar). */
  private void publish(FrameMetadata metadata, Span span) {
    long start = System.nanoTime();
    hub.publishMetadata(metadata);
    Timer timer = sendLatency.get(metadata.camera());
    if (timer != null) {
      try (Scope traced = span.makeCurrent()) {
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void onPass(Object body) {
    JsonObject pass = JsonMessage.jsonOf(body); // a PassEvent, or its JSON from a test or tool
    if (pass != null) {
      hub.publishPass(pass);
    } else {
      badMessage("pass", new IllegalArgumentException(typeOf(body)));
    }
  }

  /** Bad bus messages are a bug elsewhere: say so once a minute, keep serving the rest. */
  private void badMessage(String kind, Exception e) {
    badMessages.warn("ignoring unreadable {} message(s) on the bus: {}", kind, e.toString());
  }

  private static String typeOf(Object body) {
    return body == null ? "null body" : "unexpected body type " + body.getClass().getName();
  }
}
