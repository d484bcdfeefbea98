package io.stopsign.persist;

import io.stopsign.common.Backoff;
import io.stopsign.persist.PendingRecord.Outcome;
import io.stopsign.persist.PendingRecord.Refused;
import io.stopsign.persist.PersistRecord.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
 * spool's cap policy: {@link SpoolGate}.
 */
final class DurableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DurableWriter.class);

  /** Probes of an unreachable database: 1 s, then every 2 s. */
  private static final Backoff PROBE =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO);

  private static final long WRITE_TIMEOUT_MS = 10_000;
  private static final int MAX_GROUP = 200;

  private final Vertx vertx;
  private final Pool pool;
  private final RowWriter rows;
  private final Spool spool;
  private final SpoolGate gate;
  private final SpoolReplay replay;
  private final WriterMeters meters;
  private final Supplier<Future<Void>> prepare;

  private final ArrayDeque<PendingRecord> pending = new ArrayDeque<>();
  private List<PendingRecord> inFlight = List.of();
  private boolean busy;
  private boolean online;
  private boolean reachable;
  private boolean prepared;
  private boolean closing;
  private boolean closed;
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
    this.gate = new SpoolGate(vertx, spool, meters, spoolCap);
    this.replay = new SpoolReplay(vertx, rows, spool, meters, replayRows);
  }

  /** Prepares the database; an unreachable one only means starting in spool mode. */
  Future<Void> start() {
    return prepare
        .get()
        .map(
            v -> {
              prepared = reachable = true;
              online = spool.size() == 0;
              if (!online) {
                LOG.info("spool holds {} bytes from before: replaying it", spool.size());
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

  /** Stores a record; completes once it is committed or durably spooled. */
  Future<Outcome> submit(PersistRecord record) {
    if (closing) {
      return Future.failedFuture(new Refused(503, "persistence is stopping: retry later"));
    }
    Promise<Outcome> promise = Promise.promise();
    pending.add(new PendingRecord(record, promise));
    pump();
    return promise.future();
  }

  /** True while a detections batch waits its turn: the caller holds back and its queue sheds. */
  boolean detectionsWaiting() {
    return pending.stream().anyMatch(p -> p.record().kind() == Kind.DETECTIONS);
  }

  private void pump() {
    if (busy || closed) {
      return;
    }
    if (online && !pending.isEmpty()) {
      writeGroup(takeGroup());
    } else if (!online && !pending.isEmpty()) {
      appendPending();
    } else if (!online && reachable && !closing) {
      if (!prepared) {
        runPrepare();
      } else if (replayed < spool.size()) {
        replayChunk();
      } else {
        goOnline();
      }
    } else if (idle != null) {
      idle.tryComplete();
    }
  }

  private List<PendingRecord> takeGroup() {
    List<PendingRecord> group = new ArrayList<>();
    Kind kind = pending.peek().record().kind();
    int limit = isolate > 0 || kind == Kind.DETECTIONS ? 1 : MAX_GROUP;
    while (group.size() < limit && !pending.isEmpty() && pending.peek().record().kind() == kind) {
      group.add(pending.poll());
    }
    isolate = Math.max(0, isolate - 1);
    return group;
  }

  private void requeue(List<PendingRecord> group) {
    for (int i = group.size() - 1; i >= 0; i--) {
      pending.addFirst(group.get(i));
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
                meters.batchLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                SpoolReplay.count(meters, kind, records, ar.result());
                lastCommit = Instant.now();
                group.forEach(p -> p.promise().tryComplete(Outcome.WRITTEN));
              } else if (DbErrors.unavailable(ar.cause())) {
                wentDown(ar.cause());
                requeue(group); // to the spool, ahead of everything that came later
              } else if (group.size() > 1) {
                isolate = group.size(); // find the bad record: retry the group one record at a time
                requeue(group);
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
    List<PendingRecord> batch = new ArrayList<>(pending);
    pending.clear();
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
    prepare
        .get()
        .onComplete(
            ar -> {
              busy = false;
              if (ar.succeeded()) {
                prepared = true;
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
                online = true;
                downSince = null;
                gate.emptied();
              } else {
                wentDown(ar.cause());
              }
              pump();
            });
  }

  private void wentDown(Throwable cause) {
    if (online || reachable || downSince == null) {
      LOG.warn("database unreachable ({}): spooling to {}", DbErrors.describe(cause), spool.file());
    }
    if (downSince == null) {
      downSince = Instant.now();
    }
    downReason = DbErrors.describe(cause);
    online = false;
    reachable = false;
    scheduleProbe();
  }

  private void scheduleProbe() {
    if (probeTimer >= 0 || closing) {
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
                          reachable = true;
                          probes = 0;
                          pump();
                        } else {
                          downReason = DbErrors.describe(ar.cause());
                          scheduleProbe();
                        }
                      });
            });
  }

  /**
   * The readiness of the "db" check: UP, UP with status degraded, or DOWN when the spool is full.
   */
  Status health() {
    JsonObject data =
        new JsonObject()
            .put("spool_bytes", spool.size())
            .put("spool_max_bytes", gate.cap())
            .put(
                "last_commit_ts_utc",
                lastCommit == null ? null : lastCommit.toEpochMilli() / 1000.0);
    if (gate.full()) {
      return Status.KO(
          data.put("status", "spool_full")
              .put(
                  "reason",
                  "database unavailable and the spool is full: passes and events are refused"));
    }
    if (online) {
      return Status.OK(data.put("status", "ok").put("reason", "database writable"));
    }
    String reason =
        reachable
            ? "database back, replaying the spool"
            // the error text names host and port; /ready is open, so only its kind is shown
            : "database unreachable (" + DbErrors.kind(downReason) + "): writing to the spool";
    return Status.OK(
        data.put("status", "degraded")
            .put("reason", reason)
            .put("since_ts_utc", downSince == null ? null : downSince.toEpochMilli() / 1000.0));
  }

  /**
   * Writes or spools everything submitted so far, then closes the spool. Records still waiting on
   * the database after the timeout are spooled (a replay of a row that did commit changes nothing).
   */
  Future<Void> close(long timeoutMs) {
    closing = true;
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
              closed = true; // the lane stops here: a late database answer changes nothing now
              List<PendingRecord> left = new ArrayList<>(inFlight);
              left.addAll(pending);
              pending.clear();
              LOG.warn("database too slow at shutdown: spooling {} record(s)", left.size());
              return gate.append(left);
            })
        .eventually(
            () -> {
              closed = true;
              return vertx.executeBlocking(
                  () -> {
                    spool.close();
                    return null;
                  });
            });
  }
}
