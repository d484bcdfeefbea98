package io.stopsign.tracking;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides whether a frame's detections may enter the tracker: inference may run on several threads,
 * so frames can arrive late; the tracker must only move forward, and a new decode session (run id)
 * starts it afresh. Frames of a session that has already been replaced are stale, not a new
 * session.
 */
public final class FrameOrder {
  // Enough to recognise stragglers of recent reconnects without growing forever.
  private static final int FINISHED_RUNS_KEPT = 16;

  /** What to do with a frame. */
  public enum Verdict {
    /** The next frame of the current session. */
    NEXT,
    /** The first frame of a new session: reset, then process. */
    NEW_RUN,
    /** Older than what was already processed, or from a finished session: discard. */
    STALE
  }

  private final Deque<String> finishedRuns = new ArrayDeque<>();
  private String runId;
  private long lastSeq = Long.MIN_VALUE;

  /** Judges a frame and, unless it is stale, records it as the latest processed. */
  public Verdict admit(String frameRunId, long seq) {
    if (frameRunId == null || finishedRuns.contains(frameRunId)) {
      return Verdict.STALE;
    }
    if (!frameRunId.equals(runId)) {
      if (runId != null) {
        finishedRuns.addLast(runId);
        if (finishedRuns.size() > FINISHED_RUNS_KEPT) {
          finishedRuns.removeFirst();
        }
      }
      runId = frameRunId;
      lastSeq = seq;
      return Verdict.NEW_RUN;
    }
    if (seq <= lastSeq) {
      return Verdict.STALE;
    }
    lastSeq = seq;
    return Verdict.NEXT;
  }

  /** The session being tracked, or null before the first frame. */
  public String runId() {
    return runId;
  }

  public long lastSeq() {
    return lastSeq;
  }
}
