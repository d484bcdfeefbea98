package io.stopsign.judge;

import io.micrometer.core.instrument.Counter;
import io.stopsign.bus.Addresses;
import io.stopsign.common.Backoff;
import io.stopsign.media.SnapshotRequest;
import io.stopsign.ops.Meters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the passes of one camera: takes the snapshot (at the capture-line crossing, or at the
 * zone exit), publishes the pass JSON on {@link Addresses#PASSES_LIVE}, counts it in {@code
 * stopsign_passes_total}, and sends it to persistence on {@link Addresses#PASSES} by request/reply,
 * retrying until acknowledged. Unacknowledged passes wait in memory, at most {@link #MAX_PENDING},
 * and, given an outbox folder, on disk until acknowledged ({@link PassOutbox}). Use on the owning
 * verticle's context only.
 */
public final class PassPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(PassPublisher.class);

  /** Unacknowledged passes kept; beyond it the oldest is given up with an error line. */
  public static final int MAX_PENDING = 2000;

  private static final int MAX_CAPTURES = 256;
  private static final long SNAPSHOT_TIMEOUT_MS = 5_000;
  private static final long PERSIST_TIMEOUT_MS = 15_000;

  /** 1 s doubling to 30 s per pass, counted by the pass's own attempts. */
  private static final Backoff RETRY =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO);

  private record Pending(PassEvent pass, long timer) {}

  private final Vertx vertx;
  private final String camera;
  private final Map<String, Future<Boolean>> captures =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Future<Boolean>> eldest) {
          return size() > MAX_CAPTURES;
        }
      };
  private final LinkedHashMap<UUID, Pending> pending = new LinkedHashMap<>();
  private final Map<String, Counter> counters = new HashMap<>();
  private final Counter dropped;
  private final Set<Future<Void>> delivering = new HashSet<>();
  private final PassOutbox outbox;
  private boolean persistenceDown;
  private boolean closing;

  /** Unacknowledged passes in memory only. */
  public PassPublisher(Vertx vertx, String camera) {
    this(vertx, camera, null);
  }

  /**
   * @param outboxDir where unacknowledged passes are kept on disk; null = memory only
   */
  public PassPublisher(Vertx vertx, String camera, Path outboxDir) {
    this.vertx = vertx;
    this.camera = camera;
    this.outbox = outboxDir == null ? null : new PassOutbox(vertx, outboxDir);
    this.dropped =
        Counter.builder("stopsign_passes_dropped_total")
            .description(
                "Passes given up unacknowledged because too many were waiting for persistence")
            .tag("camera", camera)
            .register(Meters.registry());
  }

  /** Handles what one judged frame produced: snapshots to take now, passes to deliver. */
  public void handle(CameraJudge.Step step) {
    step.captures().forEach(this::capture);
    publish(step.passes());
  }

  /** Takes the snapshot of a capture-line crossing now, while decode still holds the frame. */
  public void capture(CameraJudge.Capture capture) {
    captures.put(capture.path(), snapshot(capture.frame(), capture.path()));
  }

  public void publish(List<CameraJudge.CompletedPass> passes) {
    passes.forEach(this::publish);
  }

  /** Delivers one pass: snapshot, live publication, metric, persistence until acknowledged. */
  public void publish(CameraJudge.CompletedPass completed) {
    PassEvent pass = completed.pass();
    Future<Boolean> snapshot;
    if (pass.snapshot() == null) {
      snapshot = Future.succeededFuture(false);
    } else if (completed.captured()) {
      Future<Boolean> taken = captures.remove(pass.snapshot());
      snapshot =
          taken != null ? taken : Future.succeededFuture(true); // taken long ago, forgotten since
    } else {
      snapshot = snapshot(completed.snapshotFrame(), pass.snapshot());
    }
    Future<Void> delivery =
        snapshot.map(
            taken -> {
              PassEvent delivered = taken ? pass : pass.withoutSnapshot();
              counter(delivered.verdict()).increment();
              vertx.eventBus().publish(Addresses.PASSES_LIVE, delivered);
              keep(delivered);
              Future<Void> stored =
                  outbox == null
                      ? Future.succeededFuture()
                      : outbox.keep(delivered.id(), delivered.toJson());
              stored
                  .onFailure(
                      e ->
                          LOG.error("camera {}: pass not kept on disk: {}", camera, e.getMessage()))
                  .onComplete(x -> send(delivered.id(), 0));
              return null;
            });
    delivering.add(delivery);
    delivery.onComplete(ar -> delivering.remove(delivery));
  }

  private void acknowledged(UUID id) {
    pending.remove(id);
    if (outbox != null) {
      outbox.drop(id);
    }
  }

  /** Passes sent to persistence and not yet acknowledged. */
  public int pending() {
    return pending.size();
  }

  /**
   * Stops retrying: waits for passes still taking their snapshot, then makes one last attempt (up
   * to {@code waitMs}) for every unacknowledged pass. Completes with the number still
   * unacknowledged, which are logged as lost.
   */
  public Future<Integer> close(long waitMs) {
    closing = true;
    return Future.join(new ArrayList<>(delivering))
        .transform(
            delivered -> {
              List<Future<?>> attempts = new ArrayList<>();
              for (UUID id : new ArrayList<>(pending.keySet())) {
                vertx.cancelTimer(pending.get(id).timer);
                attempts.add(
                    request(pending.get(id).pass, Math.max(1, waitMs))
                        .onSuccess(v -> acknowledged(id)));
              }
              return Future.join(attempts);
            })
        .transform(
            attempted -> {
              if (!pending.isEmpty()) {
                LOG.error(
                    "camera {}: {} passes not acknowledged by persistence at shutdown, lost",
                    camera,
                    pending.size());
              }
              return Future.succeededFuture(pending.size());
            });
  }

  private Future<Boolean> snapshot(long frame, String path) {
    SnapshotRequest request = new SnapshotRequest(frame, path);
    return vertx
        .eventBus()
        .request(
            Addresses.snapshots(camera),
            request,
            new DeliveryOptions().setSendTimeout(SNAPSHOT_TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> showsFrame(reply.body(), frame))
        .otherwise(
            e -> {
              LOG.debug("camera {}: no snapshot of frame {}: {}", camera, frame, e.getMessage());
              return false;
            });
  }

  /**
   * Decode writes the nearest frame it still holds: a picture more than 2 frames off is not this
   * pass.
   */
  private boolean showsFrame(Object reply, long frame) {
    Long written = reply instanceof JsonObject json ? json.getLong("seq") : null;
    if (written != null && Math.abs(written - frame) > 2) {
      LOG.debug(
          "camera {}: snapshot of frame {} came from frame {}, not used", camera, frame, written);
      return false;
    }
    return true;
  }

  private void keep(PassEvent pass) {
    pending.put(pass.id(), new Pending(pass, -1));
    if (pending.size() > MAX_PENDING) {
      Iterator<Map.Entry<UUID, Pending>> oldest = pending.entrySet().iterator();
      Map.Entry<UUID, Pending> e = oldest.next();
      vertx.cancelTimer(e.getValue().timer);
      oldest.remove();
      dropped.increment();
      LOG.error(
          "camera {}: {} passes wait for persistence; giving up the oldest, {} (an outbox copy"
              + " is sent again by OutboxResendVerticle)",
          camera,
          MAX_PENDING,
          e.getKey());
    }
  }

  private void send(UUID id, int attempts) {
    Pending p = pending.get(id);
    if (p == null) {
      return;
    }
    request(p.pass, PERSIST_TIMEOUT_MS)
        .onSuccess(
            reply -> {
              acknowledged(id);
              if (persistenceDown) {
                persistenceDown = false;
                LOG.info(
                    "camera {}: persistence acknowledges passes again ({} pending)",
                    camera,
                    pending.size());
              }
            })
        .onFailure(e -> failed(id, attempts, e));
  }

  private void failed(UUID id, int attempts, Throwable e) {
    Pending p = pending.get(id);
    if (p == null || closing) {
      return; // close() makes the last attempt
    }
    if (e instanceof ReplyException re
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == 400) {
      acknowledged(id); // refused as malformed: a retry cannot help
      LOG.error("camera {}: pass {} refused by persistence: {}", camera, id, e.getMessage());
      return;
    }
    if (!persistenceDown) {
      persistenceDown = true;
      LOG.warn(
          "camera {}: persistence does not acknowledge passes ({}); {} pending, retrying",
          camera,
          e.getMessage(),
          pending.size());
    }
    long delay = RETRY.delay(attempts).toMillis();
    long timer = vertx.setTimer(delay, t -> send(id, attempts + 1));
    pending.put(id, new Pending(p.pass, timer));
  }

  private Future<Object> request(PassEvent pass, long timeoutMs) {
    return vertx
        .eventBus()
        .request(Addresses.PASSES, pass, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(m -> m.body());
  }

  private Counter counter(Verdict verdict) {
    return counters.computeIfAbsent(
        verdict.wire(),
        v ->
            Counter.builder("stopsign_passes_total")
                .description("Completed passes through the stop zone by verdict")
                .tags("camera", camera, "verdict", v)
                .register(Meters.registry()));
  }
}
