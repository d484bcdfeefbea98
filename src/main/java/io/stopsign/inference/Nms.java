package io.stopsign.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Class-wise non-maximum suppression: of overlapping boxes of one class, the best-scoring wins. */
public final class Nms {

  /**
   * Keeps at most {@code maxKept} boxes, best score first; a box is dropped when it overlaps a kept
   * box of the same class by more than {@code iouThreshold}.
   */
  public static List<Detection> classWise(
      List<Detection> candidates, float iouThreshold, int maxKept) {
    if (candidates.isEmpty() || maxKept <= 0) {
      return List.of();
    }
    List<Detection> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
    boolean[] suppressed = new boolean[sorted.size()];
    List<Detection> kept = new ArrayList<>();
    for (int i = 0; i < sorted.size() && kept.size() < maxKept; i++) {
      if (suppressed[i]) {
        continue;
      }
      Detection best = sorted.get(i);
      kept.add(best);
      for (int j = i + 1; j < sorted.size(); j++) {
        Detection other = sorted.get(j);
        if (!suppressed[j] && other.classId() == best.classId() && best.iou(other) > iouThreshold) {
          suppressed[j] = true;
        }
      }
    }
    return kept;
  }

  private Nms() {}
}
