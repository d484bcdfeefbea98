package io.stopsign.persist;

import io.stopsign.persist.PersistRecord.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays one chunk of the spool in order: consecutive records of one kind become one statement
 * (detection batches merged up to a row limit), and the committed offset advances only after each
 * commit. A record the database refuses (or a damaged line) is moved to {@code rejected.jsonl} so
 * it can never block the replay; an unreachable database stops the chunk where it is.
 */
final class SpoolReplay {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolReplay.class);
  private static final int CHUNK_BYTES = 4 << 20;
  private static final int MAX_GROUP = 200;
  private static final long WRITE_TIMEOUT_MS = 30_000;

  /** One spool line: its record (null when damaged), its text and the offset past it. */
  private record Parsed(PersistRecord record, String text, long end, String error) {}

  private final Vertx vertx;
  private final RowWriter rows;
  private final Spool spool;
  private final WriterMeters meters;
  private final int replayRows;
  private long committed;

  SpoolReplay(Vertx vertx, RowWriter rows, Spool spool, WriterMeters meters, int replayRows) {
    this.vertx = vertx;
    this.rows = rows;
    this.spool = spool;
    this.meters = meters;
    this.replayRows = replayRows;
  }

  long committedUpTo() {
    return committed;
  }

  /** Replays the chunk starting at {@code from}; fails when the database became unreachable. */
  Future<Void> run(long from) {
    committed = from;
    return vertx
        .executeBlocking(() -> parse(spool.read(from, CHUNK_BYTES)))
        .compose(lines -> replay(lines, 0));
  }

  private static List<Parsed> parse(List<Spool.Line> lines) {
    List<Parsed> out = new ArrayList<>(lines.size());
    for (Spool.Line line : lines) {
      try {
        out.add(new Parsed(PersistRecord.fromLine(line.text()), line.text(), line.end(), null));
      } catch (RuntimeException e) {
        out.add(
            new Parsed(
                null, line.text(), line.end(), "damaged spool line: " + DbErrors.describe(e)));
      }
    }
    return out;
  }

  private Future<Void> replay(List<Parsed> lines, int from) {
    if (from >= lines.size()) {
      return Future.succeededFuture();
    }
    Parsed first = lines.get(from);
    if (first.record() == null) {
      return reject(first, first.error()).compose(v -> replay(lines, from + 1));
    }
    Kind kind = first.record().kind();
    List<Parsed> group = new ArrayList<>();
    int groupRows = 0;
    for (int i = from; i < lines.size(); i++) {
      Parsed p = lines.get(i);
      if (p.record() == null || p.record().kind() != kind) {
        break;
      }
      int limit = kind == Kind.DETECTIONS ? replayRows : MAX_GROUP;
      int add = kind == Kind.DETECTIONS ? p.record().rows() : 1;
      if (!group.isEmpty() && groupRows + add > limit) {
        break;
      }
      group.add(p);
      groupRows += add;
    }
    return write(kind, group).compose(v -> replay(lines, from + group.size()));
  }

  /**
   * Writes a group; on a refused row, writes its records one by one to find and set aside the bad
   * one.
   */
  private Future<Void> write(Kind kind, List<Parsed> group) {
    List<PersistRecord> records = group.stream().map(Parsed::record).toList();
    long start = System.nanoTime();
    return rows.write(kind, records)
        .timeout(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(
            written -> {
              meters.batchLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
              count(meters, kind, records, written);
              committed = group.get(group.size() - 1).end();
              return (Void) null;
            })
        .recover(
            e -> {
              if (DbErrors.unavailable(e)) {
                return Future.failedFuture(e);
              }
              if (group.size() == 1) {
                return reject(group.get(0), "refused: " + DbErrors.describe(e));
              }
              Future<Void> chain = Future.succeededFuture();
              for (Parsed p : group) {
                chain = chain.compose(v -> write(kind, List.of(p)));
              }
              return chain;
            });
  }

  private Future<Void> reject(Parsed p, String reason) {
    LOG.warn("spool record set aside in rejected.jsonl, not replayed: {}", reason);
    meters.rejected(
        p.record() == null ? "damaged" : p.record().kind().wire,
        p.record() == null ? 1 : p.record().rows());
    return vertx
        .executeBlocking(
            () -> {
              spool.reject(p.text(), reason);
              return null;
            })
        .map(
            v -> {
              committed = p.end();
              return (Void) null;
            });
  }

  /** Counts what a committed group wrote, and advances the db_write staleness gauge. */
  static void count(
      WriterMeters meters, Kind kind, List<PersistRecord> records, RowWriter.Written written) {
    switch (kind) {
      case DETECTIONS -> {
        meters.written("detections", written.detections());
        meters.written("tracks", written.tracks());
        records.forEach(r -> r.detections().newestTs.forEach(meters::committed));
      }
      case PASS -> meters.written("passes", written.rows());
      case EVENT -> meters.written("events", written.rows());
      case SESSION_METRICS -> meters.written("session_metrics", written.rows());
    }
  }
}
