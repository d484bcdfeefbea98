package io.stopsign.inference;

import java.util.ArrayList;
import java.util.List;

/** Class-wise non-maximum suppression: of overlapping boxes of one class, the best-scoring wins. */
public final class Nms {

  /**
   * Keeps at most {@code maxKept} boxes, best score first; a box is dropped when it overlaps a kept
   * box of the same class by more than {@code iouThreshold}.
   */
  public static List<Detection> classWise(
      List<Detection> candidates, float iouThreshold, int maxKept) {
    Candidates c = Candidates.of(candidates);
    classWise(c, iouThreshold, maxKept);
    List<Detection> kept = new ArrayList<>(c.selected());
    for (int k = 0; k < c.selected(); k++) {
      kept.add(candidates.get(c.selection()[k]));
    }
    return kept;
  }

  /** The same on a frame's reused candidates: leaves the kept ones in their selection. */
  static void classWise(Candidates c, float iouThreshold, int maxKept) {
    c.selectAllBestFirst();
    int n = c.selected();
    int[] order = c.selection();
    // suppression flags by rank; kept indices are written over the ranks already passed
    boolean[] suppressed = c.clearedFlags();
    int kept = 0;
    for (int r = 0; r < n && kept < maxKept; r++) {
      if (suppressed[r]) {
        continue;
      }
      int best = order[r];
      order[kept++] = best;
      for (int q = r + 1; q < n; q++) {
        int other = order[q];
        if (!suppressed[q]
            && c.classId(other) == c.classId(best)
            && c.iou(best, other) > iouThreshold) {
          suppressed[q] = true;
        }
      }
    }
    c.select(kept);
  }

  private Nms() {}
}
