package io.stopsign.persist;

import io.opentelemetry.context.Scope;
import io.stopsign.common.Backoff;
import io.stopsign.persist.PendingRecord.Outcome;
import io.stopsign.persist.PendingRecord.Refused;
import io.stopsign.persist.PersistRecord.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ordered lane for every write, run on the persist verticle's context with one operation in
 * flight at a time, so records reach the database in order of arrival.
 *
 * <p>Online, each group of records of one kind is one statement; a record is acknowledged when
 * committed. When the database is unreachable, records are appended to the {@link Spool} instead
 * (acknowledged once the line is fsynced) and every later record follows them there, so nothing
 * overtakes. A probe ({@link #PROBE}) notices the database coming back; the spool is then replayed
 * in order, alternating with appends of new arrivals, and truncated only after its last record is
 * committed; then the lane writes directly again. Rows the database refuses as bad are not retried:
 * online they fail their request (400), in a replay they go to {@code spool/rejected.jsonl}. The
 * spool's cap policy: {@link SpoolGate}. The lane's states and moves: {@link WriterState}; its
 * readiness report: {@link WriterHealth}.
 *
 * <p>What waits its turn is bounded: {@link PendingQueue} (passes and events refused to their
 * producer when it is full, the rest shed and counted).
 */
final class DurableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DurableWriter.class);

  /** Probes of an unreachable database: 1 s, then every 2 s. */
  private static final Backoff PROBE =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO);

  private static final long WRITE_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final Pool pool;
  private final RowWriter rows;
  private final Spool spool;
  private final SpoolGate gate;
  private final SpoolReplay replay;
  private final WriterMeters meters;
  private final Supplier<Future<Void>> prepare;

  private final PendingQueue pending;
  private List<PendingRecord> inFlight = List.of();
  private WriterState state = WriterState.STARTING;
  private boolean busy; // one operation in flight at a time, whatever the state
  private Future<Void> ready; // the first successful prepare: later outages skip it
  private int isolate;
  private long replayed;
  private long probeTimer = -1;
  private int probes;
  private Instant downSince;
  private String downReason = "";
  private Instant lastCommit;
  private Promise<Void> idle;

  /**
   * @param replayRows detection rows per statement when replaying the spool
   * @param prepare makes the database ready (migrations, partitions); retried until it succeeds
   */
  DurableWriter(
      Vertx vertx,
      Pool pool,
      RowWriter rows,
      Spool spool,
      WriterMeters meters,
      long spoolCap,
      int replayRows,
      Supplier<Future<Void>> prepare) {
    this.vertx = vertx;
    this.pool = pool;
    this.rows = rows;
    this.spool = spool;
    this.meters = meters;
    this.prepare = prepare;
    this.pending = new PendingQueue(meters);
    this.gate = new SpoolGate(vertx, spool, meters, spoolCap);
    this.replay = new SpoolReplay(vertx, rows, spool, meters, replayRows);
  }

  /** Prepares the database; an unreachable one only means starting in spool mode. */
  Future<Void> start() {
    return prepareOnce()
        .map(
            v -> {
              if (spool.size() == 0) {
                moveTo(WriterState.WRITING);
              } else {
                LOG.info("spool holds {} bytes from before: replaying it", spool.size());
                moveTo(WriterState.REPLAYING);
                pump();
              }
              return (Void) null;
            })
        .recover(
            e -> {
              if (!DbErrors.unavailable(e)) {
                return Future.failedFuture(e);
              }
              wentDown(e);
              return Future.succeededFuture();
            });
  }

  private Future<Void> prepareOnce() {
    if (ready == null) {
      return prepare.get().onSuccess(v -> ready = Future.succeededFuture());
    }
    return ready;
  }

  WriterState state() {
    return state;
  }

  private void moveTo(WriterState next) {
    if (state == next || state == WriterState.STOPPED) {
      return; // STOPPED is final: a late answer changes nothing
    }
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("writer cannot move from " + state + " to " + next);
    }
    LOG.debug("writer {} -> {}", state, next);
    state = next;
  }

  /**
   * Stores a record; completes once it is committed or durably spooled, or fails with {@link
   * Refused} 503 while stopping or when the {@link PendingQueue} is full.
   */
  Future<Outcome> submit(PersistRecord record) {
    if (state.closing()) {
      return Future.failedFuture(new Refused(503, "persistence is stopping: retry later"));
    }
    Future<Outcome> stored = pending.offer(record);
    pump();
    return stored;
  }

  /** True while a detections batch waits its turn: the caller holds back and its queue sheds. */
  boolean detectionsWaiting() {
    return pending.detectionsWaiting();
  }

  private void pump() {
    if (busy || state == WriterState.STOPPED) {
      return;
    }
    if (!pending.isEmpty()) {
      if (state.direct()) {
        writeGroup(pending.takeGroup(isolate > 0));
        isolate = Math.max(0, isolate - 1);
      } else {
        appendPending();
      }
      return;
    }
    switch (state) {
      case PREPARING -> runPrepare();
      case REPLAYING -> {
        if (replayed < spool.size()) {
          replayChunk();
        } else {
          goOnline();
        }
      }
      case DRAINING, STOPPING -> idle.tryComplete();
      default -> {}
    }
  }

  private void writeGroup(List<PendingRecord> group) {
    busy = true;
    inFlight = group;
    Kind kind = group.get(0).record().kind();
    List<PersistRecord> records = group.stream().map(PendingRecord::record).toList();
    long start = System.nanoTime();
    rows.write(kind, records)
        .timeout(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              busy = false;
              inFlight = List.of();
              if (ar.succeeded()) {
                try (Scope traced = group.get(0).trace().makeCurrent()) {
                  meters.batchLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                }
                SpoolReplay.count(meters, kind, records, ar.result());
                lastCommit = Instant.now();
                group.forEach(p -> p.promise().tryComplete(Outcome.WRITTEN));
              } else if (DbErrors.unavailable(ar.cause())) {
                wentDown(ar.cause());
                pending.requeue(group); // to the spool, ahead of everything that came later
              } else if (group.size() > 1) {
                isolate = group.size(); // find the bad record: retry the group one record at a time
                pending.requeue(group);
              } else {
                String why =
                    "database refused the " + kind.wire + ": " + DbErrors.describe(ar.cause());
                meters.rejected(kind.wire, group.get(0).record().rows());
                LOG.warn("{}", why);
                group.get(0).promise().tryFail(new Refused(400, why));
              }
              pump();
            });
  }

  private void appendPending() {
    busy = true;
    List<PendingRecord> batch = pending.drain();
    inFlight = batch;
    gate.append(batch)
        .onComplete(
            ar -> {
              busy = false;
              inFlight = List.of();
              pump();
            });
  }

  private void runPrepare() {
    busy = true;
    prepareOnce()
        .onComplete(
            ar -> {
              busy = false;
              if (ar.succeeded()) {
                if (state == WriterState.PREPARING) {
                  moveTo(WriterState.REPLAYING);
                }
              } else {
                LOG.warn("database reachable but not ready: {}", DbErrors.describe(ar.cause()));
                wentDown(ar.cause());
              }
              pump();
            });
  }

  private void replayChunk() {
    busy = true;
    replay
        .run(replayed)
        .onComplete(
            ar -> {
              busy = false;
              replayed = replay.committedUpTo();
              if (ar.failed()) {
                wentDown(ar.cause());
              } else {
                lastCommit = Instant.now();
              }
              pump();
            });
  }

  private void goOnline() {
    busy = true;
    vertx
        .executeBlocking(
            () -> {
              spool.truncate();
              return null;
            })
        .onComplete(
            ar -> {
              busy = false;
              if (ar.succeeded()) {
                LOG.info("database back: spool replayed and emptied, writing directly again");
                replayed = 0;
                // stopping meanwhile: the spool is empty and the database back, so drain to it
                moveTo(state == WriterState.STOPPING ? WriterState.DRAINING : WriterState.WRITING);
                downSince = null;
                gate.emptied();
              } else {
                wentDown(ar.cause());
              }
              pump();
            });
  }

  private void wentDown(Throwable cause) {
    if (state == WriterState.STOPPED) {
      return; // a late answer after the timeout: the spool is closed, nothing to probe for
    }
    if (state != WriterState.SPOOLING && state != WriterState.STOPPING) {
      LOG.warn("database unreachable ({}): spooling to {}", DbErrors.describe(cause), spool.file());
    }
    if (downSince == null) {
      downSince = Instant.now();
    }
    downReason = DbErrors.describe(cause);
    moveTo(state.onDown());
    scheduleProbe();
  }

  private void scheduleProbe() {
    if (probeTimer >= 0 || state.closing()) {
      return;
    }
    probeTimer =
        vertx.setTimer(
            PROBE.delay(probes++).toMillis(),
            id -> {
              probeTimer = -1;
              pool.query("SELECT 1")
                  .execute()
                  .timeout(5, TimeUnit.SECONDS)
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          LOG.info(
                              "database reachable again: replaying {} spooled bytes",
                              spool.size() - replayed);
                          if (state == WriterState.SPOOLING) {
                            moveTo(WriterState.PREPARING);
                          }
                          probes = 0;
                          pump();
                        } else {
                          downReason = DbErrors.describe(ar.cause());
                          scheduleProbe();
                        }
                      });
            });
  }

  WriterHealth.Figures figures() {
    return new WriterHealth.Figures(
        state, spool.size(), gate.cap(), gate.full(), lastCommit, downSince, downReason);
  }

  /**
   * Writes or spools everything submitted so far, then closes the spool. Records still waiting on
   * the database after the timeout are spooled (a replay of a row that did commit changes nothing).
   */
  Future<Void> close(long timeoutMs) {
    moveTo(state.onClose());
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
      probeTimer = -1;
    }
    idle = Promise.promise();
    pump();
    return idle.future()
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              moveTo(WriterState.STOPPED); // a late database answer changes nothing now
              List<PendingRecord> left = new ArrayList<>(inFlight);
              left.addAll(pending.drain());
              LOG.warn("database too slow at shutdown: spooling {} record(s)", left.size());
              return gate.append(left);
            })
        .eventually(
            () -> {
              moveTo(WriterState.STOPPED);
              return vertx.executeBlocking(
                  () -> {
                    spool.close();
                    return null;
                  });
            });
  }
}
