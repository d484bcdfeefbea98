package io.stopsign.persist;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The readiness of the "db" check, read from the writer's state and spool figures: UP while writing
 * directly, UP with status degraded while the spool takes the writes or is replayed, DOWN when the
 * spool is full.
 */
final class WriterHealth implements Supplier<Status> {
  /** The writer's state and spool figures, as read on its context. */
  record Figures(
      WriterState state,
      long spoolBytes,
      long spoolCap,
      boolean spoolFull,
      Instant lastCommit,
      Instant downSince,
      String downReason) {}

  private final Supplier<Figures> figures;

  WriterHealth(Supplier<Figures> figures) {
    this.figures = figures;
  }

  @Override
  public Status get() {
    return of(figures.get());
  }

  static Status of(Figures f) {
    JsonObject data =
        new JsonObject()
            .put("spool_bytes", f.spoolBytes())
            .put("spool_max_bytes", f.spoolCap())
            .put("last_commit_ts_utc", seconds(f.lastCommit()));
    if (f.spoolFull()) {
      return Status.KO(
          data.put("status", "spool_full")
              .put(
                  "reason",
                  "database unavailable and the spool is full: passes and events are refused"));
    }
    if (f.state().direct()) {
      return Status.OK(data.put("status", "ok").put("reason", "database writable"));
    }
    String reason =
        f.state() == WriterState.PREPARING || f.state() == WriterState.REPLAYING
            ? "database back, replaying the spool"
            // the error text names host and port; /ready is open, so only its kind is shown
            : "database unreachable (" + DbErrors.kind(f.downReason()) + "): writing to the spool";
    return Status.OK(
        data.put("status", "degraded")
            .put("reason", reason)
            .put("since_ts_utc", seconds(f.downSince())));
  }

  private static Double seconds(Instant t) {
    return t == null ? null : t.toEpochMilli() / 1000.0;
  }
}
