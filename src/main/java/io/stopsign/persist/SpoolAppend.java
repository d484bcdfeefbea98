package io.stopsign.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The spool's cap policy applied to a batch of records: what is appended, shed or refused. */
final class SpoolAppend {

  enum Result {
    SPOOLED,
    /** A sheddable record (detections, session metrics) above the shed threshold. */
    SHED,
    /** A pass or event that does not fit under the cap. */
    REFUSED,
    /** The spool could not be written at all. */
    FAILED
  }

  /**
   * Appends what fits: sheddable kinds up to {@code shedAt} of the cap, passes and events up to the
   * cap itself. Fsyncs when a pass or event was appended. Blocking.
   */
  static List<Result> append(Spool spool, List<PersistRecord> records, long cap, double shedAt)
      throws IOException {
    List<byte[]> lines = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    long size = spool.size();
    boolean sync = false;
    for (PersistRecord r : records) {
      if (r.kind() == PersistRecord.Kind.DETECTIONS && r.rows() == 0) {
        results.add(Result.SPOOLED); // frames without tracks: nothing to keep
        continue;
      }
      byte[] line = r.toLine().getBytes(StandardCharsets.UTF_8);
      long limit = r.kind().sheddable ? (long) (cap * shedAt) : cap;
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

  private SpoolAppend() {}
}
