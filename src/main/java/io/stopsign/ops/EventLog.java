package io.stopsign.ops;

import io.stopsign.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a verticle writes its operational events ({@code events} table): each {@link CameraEvent}
 * goes to persistence by request/reply and is retried (1 s, 2 s, 4 s) while persistence refuses or
 * does not answer; one given up, refused as bad input, or beyond {@link #MAX_PENDING} waiting is
 * counted in {@code stopsign_events_unstored_total}. One instance per verticle.
 */
public final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

  /** Kinds of event this service writes; others (a tool's) are stored as they come. */
  public static final String SOURCE_STATE = "source_state";

  public static final String ZONE_ENTRY = "zone_entry";
  public static final String ZONE_EXIT = "zone_exit";
  public static final String WATCHDOG = "watchdog";

  /** Events waiting for a retry at once; more means persistence is gone, not slow. */
  static final int MAX_PENDING = 1000;

  private static final int ATTEMPTS = 4;
  private static final long FIRST_RETRY_MS = 1000;
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  // events may be recorded from a stage's own thread (decode): replies land on any event loop
  private final AtomicInteger pending = new AtomicInteger();

  public EventLog(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends the event to persistence; the future completes when it is stored and fails once it is
   * given up (already counted as unstored).
   */
  public Future<Void> record(CameraEvent event) {
    Promise<Void> done = Promise.promise();
    attempt(event, 1, done);
    return done.future();
  }

  /** A new event of {@code kind} happening now. */
  public Future<Void> record(String camera, String kind, JsonObject payload) {
    return record(CameraEvent.now(camera, kind, payload));
  }

  /**
   * A watchdog acted: {@code watchdog} names it ({@code decode_stall}, ...), {@code action} what it
   * did ({@code exit}, {@code reconnect}, {@code blocked}, {@code recovered}, ...).
   */
  public Future<Void> watchdog(String camera, String watchdog, String action, String reason) {
    return record(
        camera,
        WATCHDOG,
        new JsonObject().put("watchdog", watchdog).put("action", action).put("reason", reason));
  }

  private void attempt(CameraEvent event, int n, Promise<Void> done) {
    vertx
        .eventBus()
        .request(Addresses.EVENTS, event, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .onSuccess(reply -> done.tryComplete())
        .onFailure(
            e -> {
              if (n >= ATTEMPTS || badInput(e) || pending.get() >= MAX_PENDING) {
                EventMeters.unstored(event.camera(), event.kind());
                LOG.debug(
                    "{} event {} not stored: {}", event.camera(), event.kind(), e.getMessage());
                done.tryFail(e);
                return;
              }
              pending.incrementAndGet();
              vertx.setTimer(
                  FIRST_RETRY_MS << (n - 1),
                  id -> {
                    pending.decrementAndGet();
                    attempt(event, n + 1, done);
                  });
            });
  }

  /** Persistence refused the event itself: sending it again changes nothing. */
  private static boolean badInput(Throwable e) {
    return e instanceof ReplyException r
        && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && r.failureCode() == 400;
  }
}
