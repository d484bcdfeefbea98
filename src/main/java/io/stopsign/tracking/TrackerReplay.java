package io.stopsign.tracking;

import io.stopsign.inference.Detections;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs recorded detections through the tracker without Vert.x, with the verticle's ordering rules
 * (stale frames skipped, a new run id resets the tracker): for tests, benchmarks and offline
 * analysis.
 */
public final class TrackerReplay {

  /** The tracker's answer for one admitted frame. */
  public record Step(Detections frame, ByteTracker.Update update) {}

  /** Replays the frames in the order given; stale frames produce no step. */
  public static List<Step> replay(List<Detections> frames, TrackerConfig config) {
    FrameOrder order = new FrameOrder();
    ByteTracker tracker = null;
    List<Step> steps = new ArrayList<>(frames.size());
    for (Detections d : frames) {
      FrameOrder.Verdict verdict = order.admit(d.runId(), d.seq());
      if (verdict == FrameOrder.Verdict.STALE) {
        continue;
      }
      if (verdict == FrameOrder.Verdict.NEW_RUN || tracker == null) {
        tracker = new ByteTracker(config);
      }
      steps.add(new Step(d, tracker.update(d.tsUtc(), d.items())));
    }
    return steps;
  }

  private TrackerReplay() {}
}
