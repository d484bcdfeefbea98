package io.stopsign.persist;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where {@link DurableWriter}'s lane is. Records go straight to the database only while {@link
 * #WRITING} or {@link #DRAINING}; in every other state they are appended to the spool, so nothing
 * overtakes what is already there.
 *
 * <pre>
 *   the outage cycle:
 *
 *     WRITING ──unreachable──▶ SPOOLING ──probe answers──▶ PREPARING ──ready──▶ REPLAYING
 *        ▲                        ▲   ▲                        │                    │  │
 *        │                        │   └──────unreachable───────┘                    │  │
 *        │                        └─────────────────unreachable─────────────────────┘  │
 *        └─────────────────────────spool replayed and emptied──────────────────────────┘
 *
 *   start:  STARTING ──prepared, spool empty──▶ WRITING
 *           STARTING ──prepared, spool holds records──▶ REPLAYING
 *           STARTING ──unreachable──▶ SPOOLING
 *
 *   stop:   WRITING ──close──▶ DRAINING ──unreachable──▶ STOPPING
 *           STARTING, SPOOLING, PREPARING, REPLAYING ──close──▶ STOPPING
 *           STOPPING ──spool emptied (the replay's last step was in flight)──▶ DRAINING
 *           DRAINING, STOPPING ──drained, or timed out and spooled──▶ STOPPED
 * </pre>
 *
 * <p>STOPPED is final: a late database answer changes nothing. Every other move is a bug ({@link
 * #canMoveTo}).
 */
enum WriterState {
  /** Preparing the database at start; what arrives meanwhile is spooled. */
  STARTING,
  /** Online: each group of records of one kind is one statement, acknowledged when committed. */
  WRITING,
  /** The database is unreachable: records are appended to the spool, a probe waits for it. */
  SPOOLING,
  /** The probe got an answer: the database is made ready (once per process) before replaying. */
  PREPARING,
  /** The spool is replayed in order, alternating with appends of new arrivals, then emptied. */
  REPLAYING,
  /** Closing while online: what is pending is written to the database. */
  DRAINING,
  /** Closing while offline: what is pending is spooled; no probe, no replay. */
  STOPPING,
  /** The spool is closed (or being closed); nothing moves any more. */
  STOPPED;

  private Set<WriterState> next() {
    return switch (this) {
      case STARTING -> EnumSet.of(WRITING, REPLAYING, SPOOLING, STOPPING);
      case WRITING -> EnumSet.of(SPOOLING, DRAINING);
      case SPOOLING -> EnumSet.of(PREPARING, STOPPING);
      case PREPARING -> EnumSet.of(REPLAYING, SPOOLING, STOPPING);
      case REPLAYING -> EnumSet.of(WRITING, SPOOLING, STOPPING);
      case DRAINING -> EnumSet.of(STOPPING, STOPPED);
      case STOPPING -> EnumSet.of(DRAINING, STOPPED);
      case STOPPED -> EnumSet.noneOf(WriterState.class);
    };
  }

  /** True when the diagram has an arrow from this state to {@code to}. */
  boolean canMoveTo(WriterState to) {
    return next().contains(to);
  }

  /** Records are written to the database rather than appended to the spool. */
  boolean direct() {
    return this == WRITING || this == DRAINING;
  }

  /** {@code close} was called: new records are refused (503, retry later). */
  boolean closing() {
    return this == DRAINING || this == STOPPING || this == STOPPED;
  }

  /** The state {@code close} moves to. */
  WriterState onClose() {
    return switch (this) {
      case WRITING, DRAINING -> DRAINING;
      case STOPPED -> STOPPED;
      default -> STOPPING;
    };
  }

  /** The state a database outage moves to. */
  WriterState onDown() {
    return closing() ? (this == STOPPED ? STOPPED : STOPPING) : SPOOLING;
  }
}
