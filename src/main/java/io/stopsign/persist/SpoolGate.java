package io.stopsign.persist;

import io.stopsign.persist.PendingRecord.Outcome;
import io.stopsign.persist.PendingRecord.Refused;
import io.stopsign.persist.PersistRecord.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's cap policy: sheddable records (detections, session metrics) are appended only below
 * {@link #SHED_AT} of the cap, passes and events up to the cap itself, so the last 20% is kept for
 * them. What is shed is counted; a pass or event that does not fit fails its request (503) and
 * marks the spool full until one fits again or the spool is emptied.
 */
final class SpoolGate {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolGate.class);
  static final double SHED_AT = 0.8;

  private enum Result {
    SPOOLED,
    SHED,
    REFUSED
  }

  private final Vertx vertx;
  private final Spool spool;
  private final WriterMeters meters;
  private final long cap;
  private boolean full;
  private boolean shedding;

  SpoolGate(Vertx vertx, Spool spool, WriterMeters meters, long cap) {
    this.vertx = vertx;
    this.spool = spool;
    this.meters = meters;
    this.cap = cap;
  }

  /** True when a pass or event could not be spooled (readiness DOWN). */
  boolean full() {
    return full || spool.size() >= cap;
  }

  long cap() {
    return cap;
  }

  /** The spool was replayed and emptied. */
  void emptied() {
    full = false;
    shedding = false;
  }

  /** Appends what fits (on a worker), then settles every record's promise. */
  Future<Void> append(List<PendingRecord> batch) {
    List<PersistRecord> records = batch.stream().map(PendingRecord::record).toList();
    return vertx
        .executeBlocking(() -> write(records))
        .transform(
            ar -> {
              settle(batch, ar.succeeded() ? ar.result() : null, ar.cause());
              return Future.succeededFuture();
            });
  }

  /** Blocking: the cap decisions and one append, fsynced when it holds a pass or event. */
  private List<Result> write(List<PersistRecord> records) throws IOException {
    List<byte[]> lines = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    long size = spool.size();
    boolean sync = false;
    for (PersistRecord r : records) {
      if (r.kind() == Kind.DETECTIONS && r.rows() == 0) {
        results.add(Result.SPOOLED); // frames without tracks: nothing to keep
        continue;
      }
      byte[] line = r.toLine().getBytes(StandardCharsets.UTF_8);
      long limit = r.kind().sheddable ? (long) (cap * SHED_AT) : cap;
      if (size + line.length + 1 > limit) {
        results.add(r.kind().sheddable ? Result.SHED : Result.REFUSED);
      } else {
        lines.add(line);
        size += line.length + 1;
        sync |= !r.kind().sheddable;
        results.add(Result.SPOOLED);
      }
    }
    if (!lines.isEmpty()) {
      spool.append(lines, sync);
    }
    return results;
  }

  private void settle(List<PendingRecord> batch, List<Result> results, Throwable failure) {
    boolean refusedAny = false;
    boolean keptDurable = false;
    boolean shedAny = false;
    boolean keptSheddable = false;
    for (int i = 0; i < batch.size(); i++) {
      PendingRecord p = batch.get(i);
      Kind kind = p.record().kind();
      if (results == null) {
        refusedAny |= !kind.sheddable;
        p.promise().tryFail(new Refused(503, "spool not writable: " + DbErrors.describe(failure)));
        continue;
      }
      switch (results.get(i)) {
        case SPOOLED -> {
          keptDurable |= !kind.sheddable;
          keptSheddable |= kind.sheddable && p.record().rows() > 0;
          p.promise().tryComplete(Outcome.SPOOLED);
        }
        case SHED -> {
          shedAny = true;
          meters.shed(kind.wire, p.record().rows());
          p.promise()
              .tryFail(new Refused(503, kind.wire + " shed: the spool is above 80% of its cap"));
        }
        case REFUSED -> {
          refusedAny = true;
          p.promise()
              .tryFail(
                  new Refused(
                      503, "spool full (" + spool.size() + " of " + cap + " bytes): retry later"));
        }
      }
    }
    if (refusedAny && !full) {
      LOG.error(
          "spool cannot take passes or events any more ({} bytes): refusing them, not ready",
          spool.size());
    }
    full = refusedAny || (full && !keptDurable);
    if (shedAny && !shedding) {
      LOG.warn(
          "spool above 80% of its cap ({} bytes): shedding detections and session metrics",
          spool.size());
    }
    shedding = shedAny || (shedding && !keptSheddable);
  }
}
