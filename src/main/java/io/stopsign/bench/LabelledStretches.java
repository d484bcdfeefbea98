package io.stopsign.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The stretches of a clip that {@code bench --accuracy} runs: labelled frames close together form
 * one stretch, run frame by frame (the tracker needs every frame) after a warm-up.
 */
final class LabelledStretches {
  private static final int WARM_UP_FRAMES =
      15; // the tracker confirms tracks before the first label
  private static final int SEGMENT_GAP = 30; // labelled frames further apart start a new stretch

  private LabelledStretches() {}

  /**
   * Which decoded frames to run: every frame of each stretch of labelled frames, plus a warm-up;
   * only the labelled ones when just dumping detections (to propose labels).
   */
  static boolean[] frames(List<AccuracyLabels.LabelledFrame> frames, boolean labelledOnly) {
    boolean[] run = new boolean[frames.get(frames.size() - 1).index() + 1];
    if (labelledOnly) {
      frames.forEach(f -> run[f.index()] = true);
      return run;
    }
    int start = frames.get(0).index();
    for (int k = 0; k < frames.size(); k++) {
      int index = frames.get(k).index();
      if (k > 0 && index - frames.get(k - 1).index() > SEGMENT_GAP) {
        start = index;
      }
      for (int i = Math.max(0, start - WARM_UP_FRAMES); i <= index; i++) {
        run[i] = true;
      }
    }
    return run;
  }

  /** Frames between labelled frames (the typical one), so each labelled frame stands for them. */
  static double spacing(List<AccuracyLabels.LabelledFrame> frames) {
    List<Integer> gaps = new ArrayList<>();
    for (int k = 1; k < frames.size(); k++) {
      int gap = frames.get(k).index() - frames.get(k - 1).index();
      if (gap <= SEGMENT_GAP) {
        gaps.add(gap);
      }
    }
    gaps.sort(Integer::compare);
    return gaps.isEmpty() ? 1 : gaps.get(gaps.size() / 2);
  }
}
