package io.stopsign.judge;

import io.stopsign.bus.Addresses;
import io.stopsign.common.Backoff;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every pass stored under {@code data_dir/outbox/<camera>/} to persistence, at start and then
 * every {@code period}, whichever cameras this analyzer holds now: the passes of a camera whose
 * lease moved to another analyzer would otherwise wait until it came back. A round where
 * persistence acknowledged nothing is retried on the {@link Backoff} schedule. Periodic rounds
 * leave files younger than {@code minAge} to the camera's own {@link PassPublisher}; sending one
 * twice is harmless (persistence stores a pass once per id). A file that is not a pass is set aside
 * as {@code .bad} and named in the log.
 */
public final class OutboxResendVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxResendVerticle.class);

  /** The period of the rounds in service, and the age a file needs to be sent by one. */
  public static final Duration PERIOD = Duration.ofSeconds(60);

  private static final long PERSIST_TIMEOUT_MS = 15_000;

  /** 1 s doubling to 30 s after rounds persistence did not acknowledge, like a pass's retries. */
  private static final Backoff RETRY =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO);

  private final Path root;
  private final Duration period;
  private final Duration minAge;
  private final Set<UUID> sending = new HashSet<>();
  private int failedRounds;
  private long timer = -1;
  private boolean stopped;

  /**
   * @param root the outbox folder, {@code data_dir/outbox}, one sub-folder per camera
   */
  public OutboxResendVerticle(Path root) {
    this(root, PERIOD, PERIOD);
  }

  public OutboxResendVerticle(Path root, Duration period, Duration minAge) {
    this.root = root;
    this.period = period;
    this.minAge = minAge;
  }

  @Override
  public Future<?> start() {
    round(Duration.ZERO); // at start every file is an earlier run's
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void round(Duration age) {
    cameraDirs()
        .compose(dirs -> sendAll(dirs, age))
        .onComplete(
            ar -> {
              if (stopped) {
                return;
              }
              Duration next = period;
              if (ar.failed()) {
                next = RETRY.delay(failedRounds++);
                LOG.warn(
                    "outbox: stored passes not acknowledged ({}); next try in {} ms",
                    ar.cause().getMessage(),
                    next.toMillis());
              } else {
                failedRounds = 0;
              }
              timer = vertx.setTimer(Math.max(1, next.toMillis()), t -> round(minAge));
            });
  }

  private Future<List<Path>> cameraDirs() {
    return vertx.executeBlocking(
        () -> {
          if (!Files.isDirectory(root)) {
            return List.of();
          }
          try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
          }
        },
        false);
  }

  /** Fails when some pass was not acknowledged; a refused (malformed) pass counts as done. */
  private Future<Void> sendAll(List<Path> dirs, Duration age) {
    List<Future<?>> sent = new ArrayList<>();
    for (Path dir : dirs) {
      PassOutbox outbox = new PassOutbox(vertx, dir);
      sent.add(
          outbox
              .load(age)
              .compose(
                  passes -> {
                    if (!passes.isEmpty()) {
                      LOG.info(
                          "outbox {}: {} stored passes sent to persistence",
                          dir.getFileName(),
                          passes.size());
                    }
                    List<Future<?>> each = new ArrayList<>();
                    passes.forEach(pass -> each.add(send(outbox, pass)));
                    return Future.all(each);
                  }));
    }
    return Future.all(sent).mapEmpty();
  }

  private Future<Void> send(PassOutbox outbox, PassEvent pass) {
    UUID id = pass.id();
    if (!sending.add(id)) {
      return Future.succeededFuture(); // the previous round still waits for its reply
    }
    return vertx
        .eventBus()
        .request(Addresses.PASSES, pass, new DeliveryOptions().setSendTimeout(PERSIST_TIMEOUT_MS))
        .<Void>mapEmpty()
        .recover(
            e -> {
              if (e instanceof ReplyException re
                  && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
                  && re.failureCode() == 400) {
                LOG.error("outbox: pass {} refused by persistence: {}", id, e.getMessage());
                return Future.succeededFuture(); // a retry cannot help
              }
              return Future.failedFuture(e);
            })
        .onSuccess(v -> outbox.drop(id))
        .onComplete(ar -> sending.remove(id));
  }
}
