package io.stopsign.persist;

import io.opentelemetry.context.Context;
import io.vertx.core.Promise;

/**
 * A record waiting in the writer's lane, the promise its sender waits on, and the trace context it
 * was submitted under (its commit time's exemplar on the DB batch histogram).
 */
record PendingRecord(PersistRecord record, Promise<PendingRecord.Outcome> promise, Context trace) {

  /** Where an acknowledged record is: committed, or in the fsynced spool. */
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
}
