package io.stopsign.persist;

import io.stopsign.persist.PersistRecord.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;
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
 * overtakes. A probe every 2 s notices the database coming back; the spool is then replayed in
 * order, alternating with appends of new arrivals, and truncated only after its last record is
 * committed; then the lane writes directly again. Rows the database refuses as bad are not retried:
 * online they fail their request, in a replay they go to {@code spool/rejected.jsonl}.
 *
 * <p>Spool cap ({@code db.spool_max_mb}): detections and session metrics are shed (counted in
 * {@code stopsign_spool_shed_total{kind}}) once the spool passes 80% of the cap, which keeps the
 * last 20% for passes and events; those are never dropped: when even they do not fit, their
 * request fails (code 503) so the producer keeps and retries them, and readiness goes DOWN.
 */
final class DurableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DurableWriter.class);
  static final long PROBE_MS = 2000;
  private static final long WRITE_TIMEOUT_MS = 10_000;
  private static final int MAX_GROUP = 200;
  private static final double SHED_AT = 0.8;

  enum Outcome {
    WRITTEN,
    SPOOLED
  }

  /** A record that will not be stored: 400 = bad input, 503 = no room now (retry later). */
  static final class Refused extends RuntimeException {
    final int code;

    Refused(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private record Entry(PersistRecord record, Promise<Outcome> promise) {}

  private final Vertx vertx;
  private final Pool pool;
  private final RowWriter rows;
  private final Spool spool;
  private final WriterMeters meters;
  private final long spoolCap;
  private final Supplier<Future<Void>> prepare;
  private final SpoolReplay replay;

  private final ArrayDeque<Entry> pending = new ArrayDeque<>();
  private List<Entry> inFlight = List.of();
  private boolean busy;
  private boolean online;
  private boolean reachable;
  private boolean prepared;
  private boolean closing;
  private boolean closed;
  private boolean refusing;
  private boolean shedding;
  private int isolate;
  private long replayed;
  private long probeTimer = -1;
  private Instant downSince;
  private String downReason = "";
  private Instant lastCommit;
  private Promise<Void> idle;

  DurableWriter(
      Vertx vertx, Pool pool, RowWriter rows, Spool spool, WriterMeters meters, long spoolCap, int replayRows,
      Supplier<Future<Void>> prepare) {
    this.vertx = vertx;
    this.pool = pool;
    this.rows = rows;
    this.spool = spool;
    this.meters = meters;
    this.spoolCap = spoolCap;
    this.prepare = prepare;
    this.replay = new SpoolReplay(vertx, rows, spool, meters, replayRows);
  }

  /** Prepares the database; an unreachable one only means starting in spool mode. */
  Future<Void> start() {
    return prepare
        .get()
        .map(v -> {
          prepared = reachable = true;
          online = spool.size() == 0;
          if (!online) {
            LOG.info("spool holds {} bytes from before: replaying it", spool.size());
            pump();
          }
          return (Void) null;
        })
        .recover(e -> {
          if (!DbErrors.unavailable(e)) {
            return Future.failedFuture(e);
          }
          wentDown(e);
          return Future.succeededFuture();
        });
  }

  /** Stores a record; completes once it is committed or durably spooled. */
  Future<Outcome> submit(PersistRecord record) {
    Promise<Outcome> promise = Promise.promise();
    pending.add(new Entry(record, promise));
    pump();
    return promise.future();
  }

  /** True while a detections batch waits its turn: the caller holds back and its queue sheds. */
  boolean detectionsWaiting() {
    return pending.stream().anyMatch(e -> e.record().kind() == Kind.DETECTIONS);
  }

  private void pump() {
    if (busy || closed) {
      return;
    }
    if (online) {
      if (!pending.isEmpty()) {
        writeGroup(takeGroup());
        return;
      }
    } else if (!pending.isEmpty()) {
      appendPending();
      return;
    } else if (reachable && !closing) {
      if (!prepared) {
        runPrepare();
      } else if (replayed < spool.size()) {
        replayChunk();
      } else {
        goOnline();
      }
      return;
    }
    if (idle != null) {
      idle.tryComplete();
    }
  }

  private List<Entry> takeGroup() {
    List<Entry> group = new ArrayList<>();
    Kind kind = pending.peek().record().kind();
    int limit = isolate > 0 || kind == Kind.DETECTIONS ? 1 : MAX_GROUP;
    while (group.size() < limit && !pending.isEmpty() && pending.peek().record().kind() == kind) {
      group.add(pending.poll());
    }
    isolate = Math.max(0, isolate - 1);
    return group;
  }

  private void writeGroup(List<Entry> group) {
    busy = true;
    inFlight = group;
    Kind kind = group.get(0).record().kind();
    long start = System.nanoTime();
    rows.write(kind, group.stream().map(Entry::record).toList())
        .timeout(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          busy = false;
          inFlight = List.of();
          if (ar.succeeded()) {
            meters.batchLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            SpoolReplay.count(meters, kind, group.stream().map(Entry::record).toList(), ar.result());
            lastCommit = Instant.now();
            group.forEach(e -> e.promise().tryComplete(Outcome.WRITTEN));
          } else if (DbErrors.unavailable(ar.cause())) {
            wentDown(ar.cause());
            for (int i = group.size() - 1; i >= 0; i--) {
              pending.addFirst(group.get(i));
            }
          } else if (group.size() > 1) {
            isolate = group.size(); // find the bad record: retry the group one record at a time
            for (int i = group.size() - 1; i >= 0; i--) {
              pending.addFirst(group.get(i));
            }
          } else {
            String why = "database refused the " + kind.wire + ": " + DbErrors.describe(ar.cause());
            meters.rejected(kind.wire, group.get(0).record().rows());
            LOG.warn("{}", why);
            group.get(0).promise().tryFail(new Refused(400, why));
          }
          pump();
        });
  }

  private void appendPending() {
    busy = true;
    List<Entry> batch = new ArrayList<>(pending);
    pending.clear();
    inFlight = batch;
    vertx.executeBlocking(() -> SpoolAppend.append(spool, batch.stream().map(Entry::record).toList(), spoolCap, SHED_AT))
        .onComplete(ar -> {
          busy = false;
          inFlight = List.of();
          settle(batch, ar.succeeded() ? ar.result() : null, ar.cause());
          pump();
        });
  }

  private void settle(List<Entry> batch, List<SpoolAppend.Result> results, Throwable failure) {
    boolean refusedAny = false;
    boolean keptDurable = false;
    boolean shedAny = false;
    boolean keptSheddable = false;
    for (int i = 0; i < batch.size(); i++) {
      Entry e = batch.get(i);
      Kind kind = e.record().kind();
      SpoolAppend.Result r = results == null ? SpoolAppend.Result.FAILED : results.get(i);
      switch (r) {
        case SPOOLED -> {
          keptDurable |= !kind.sheddable;
          keptSheddable |= kind.sheddable && e.record().rows() > 0;
          e.promise().tryComplete(Outcome.SPOOLED);
        }
        case SHED -> {
          shedAny = true;
          meters.shed(kind.wire, e.record().rows());
          e.promise().tryFail(new Refused(503, kind.wire + " shed: the spool is above 80% of its cap"));
        }
        case REFUSED, FAILED -> {
          refusedAny |= !kind.sheddable;
          String why = r == SpoolAppend.Result.REFUSED
              ? "spool full (" + spool.size() + " of " + spoolCap + " bytes): retry later"
              : "spool not writable: " + DbErrors.describe(failure);
          e.promise().tryFail(new Refused(503, why));
        }
      }
    }
    if (refusedAny && !refusing) {
      LOG.error("spool cannot take passes or events any more ({} bytes): refusing them, not ready", spool.size());
    }
    refusing = refusedAny || (refusing && !keptDurable);
    if (shedAny && !shedding) {
      LOG.warn("spool above 80% of its cap ({} bytes): shedding detections and session metrics", spool.size());
    }
    shedding = shedAny || (shedding && !keptSheddable);
  }

  private void runPrepare() {
    busy = true;
    prepare.get().onComplete(ar -> {
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
    replay.run(replayed).onComplete(ar -> {
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
    vertx.executeBlocking(() -> {
          spool.truncate();
          return null;
        })
        .onComplete(ar -> {
          busy = false;
          if (ar.succeeded()) {
            LOG.info("database back: spool replayed and emptied, writing directly again");
            replayed = 0;
            online = true;
            refusing = false;
            shedding = false;
            downSince = null;
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
    probeTimer = vertx.setTimer(PROBE_MS, id -> {
      probeTimer = -1;
      pool.query("SELECT 1").execute().timeout(5, TimeUnit.SECONDS).onComplete(ar -> {
        if (ar.succeeded()) {
          LOG.info("database reachable again: replaying {} spooled bytes", spool.size() - replayed);
          reachable = true;
          pump();
        } else {
          downReason = DbErrors.describe(ar.cause());
          scheduleProbe();
        }
      });
    });
  }

  /** The readiness of the "db" check: UP, UP with status degraded, or DOWN when the spool is full. */
  Status health() {
    JsonObject data = new JsonObject()
        .put("spool_bytes", spool.size())
        .put("spool_max_bytes", spoolCap)
        .put("last_commit_ts_utc", lastCommit == null ? null : lastCommit.toEpochMilli() / 1000.0);
    if (refusing || spool.size() >= spoolCap) {
      return Status.KO(data.put("status", "spool_full")
          .put("reason", "database unavailable and the spool is full: passes and events are refused"));
    }
    if (online) {
      return Status.OK(data.put("status", "ok").put("reason", "database writable"));
    }
    String reason = reachable
        ? "database back, replaying the spool"
        : "database unreachable (" + downReason + "): writing to the spool";
    return Status.OK(data.put("status", "degraded").put("reason", reason)
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
        .recover(e -> {
          closed = true; // the lane stops here: a late database answer changes nothing now
          List<Entry> left = new ArrayList<>(inFlight);
          left.addAll(pending);
          pending.clear();
          LOG.warn("database too slow at shutdown: spooling {} record(s)", left.size());
          return vertx.executeBlocking(
                  () -> SpoolAppend.append(spool, left.stream().map(Entry::record).toList(), spoolCap, SHED_AT))
              .andThen(ar -> settle(left, ar.succeeded() ? ar.result() : null, ar.cause()))
              .<Void>mapEmpty();
        })
        .eventually(() -> {
          closed = true;
          return vertx.executeBlocking(() -> {
            spool.close();
            return null;
          });
        });
  }
}
