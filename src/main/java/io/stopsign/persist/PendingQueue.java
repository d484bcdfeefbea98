package io.stopsign.persist;

import io.opentelemetry.context.Context;
import io.stopsign.common.RateLimitedLog;
import io.stopsign.persist.PendingRecord.Outcome;
import io.stopsign.persist.PendingRecord.Refused;
import io.stopsign.persist.PersistRecord.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records waiting their turn in {@link DurableWriter}'s lane, at most {@link #MAX} of them (a
 * slow database or spool). When it is full, a pass or event is refused (503) to its producer, which
 * keeps it and retries; a detections batch or session metrics row is shed, counted in {@code
 * stopsign_spool_shed_total}, and refused (503) too. Nothing is dropped silently.
 */
final class PendingQueue {
  private static final Logger LOG = LoggerFactory.getLogger(PendingQueue.class);

  /** Records waiting at most: hours of passes and events, seconds of a slow database. */
  static final int MAX = 10_000;

  private static final int MAX_GROUP = 200;

  private final ArrayDeque<PendingRecord> records = new ArrayDeque<>();
  private final WriterMeters meters;
  private final RateLimitedLog fullLog = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);

  PendingQueue(WriterMeters meters) {
    this.meters = meters;
  }

  /** Queues a record; the future settles when it is stored, or at once when the queue is full. */
  Future<Outcome> offer(PersistRecord record) {
    Kind kind = record.kind();
    if (records.size() >= MAX) {
      fullLog.warn(
          "{} records wait to be stored: refusing passes and events, shedding the rest", MAX);
      if (kind.sheddable) {
        meters.shed(kind.wire, record.rows());
        return Future.failedFuture(
            new Refused(503, kind.wire + " shed: " + MAX + " records wait to be stored"));
      }
      return Future.failedFuture(new Refused(503, MAX + " records wait to be stored: retry later"));
    }
    Promise<Outcome> promise = Promise.promise();
    records.add(new PendingRecord(record, promise, Context.current()));
    return promise.future();
  }

  boolean isEmpty() {
    return records.isEmpty();
  }

  /** True while a detections batch waits its turn: the caller holds back and its queue sheds. */
  boolean detectionsWaiting() {
    return records.stream().anyMatch(p -> p.record().kind() == Kind.DETECTIONS);
  }

  /**
   * The next records of one kind for one statement: a detections batch alone, or while {@code
   * oneByOne} (finding the bad record of a refused group).
   */
  List<PendingRecord> takeGroup(boolean oneByOne) {
    List<PendingRecord> group = new ArrayList<>();
    Kind kind = records.peek().record().kind();
    int limit = oneByOne || kind == Kind.DETECTIONS ? 1 : MAX_GROUP;
    while (group.size() < limit && !records.isEmpty() && records.peek().record().kind() == kind) {
      group.add(records.poll());
    }
    return group;
  }

  /** Puts a group back at the head, ahead of everything that came later. */
  void requeue(List<PendingRecord> group) {
    for (int i = group.size() - 1; i >= 0; i--) {
      records.addFirst(group.get(i));
    }
  }

  /** Takes everything, in order (for the spool). */
  List<PendingRecord> drain() {
    List<PendingRecord> all = new ArrayList<>(records);
    records.clear();
    return all;
  }
}
