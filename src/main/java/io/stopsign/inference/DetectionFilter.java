package io.stopsign.inference;

import io.stopsign.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a detector keeps after class-wise NMS: each class above its own confidence ({@code
 * model.class_confidence}: the static roadside things a detector calls "truck" score like a car, a
 * real truck higher), and one box per vehicle across classes ({@code model.cross_class_iou}: the
 * same car boxed as "car" and "truck" is one vehicle, the second box a false detection).
 */
final class DetectionFilter {
  private final float[] minScore;
  private final float crossClassIou;

  DetectionFilter(double confidence, Map<String, Double> classConfidence, double crossClassIou) {
    this.minScore = new float[CocoClasses.names().size()];
    java.util.Arrays.fill(minScore, (float) confidence);
    classConfidence.forEach(
        (name, score) -> {
          int id = CocoClasses.id(name);
          if (id < 0) {
            throw new ConfigException(
                "model.class_confidence", name, "not a COCO class name (e.g. car, truck, bus)");
          }
          minScore[id] = (float) Math.max(confidence, score);
        });
    this.crossClassIou = (float) crossClassIou;
  }

  /** The detections that pass, best score first. */
  List<Detection> apply(List<Detection> detections) {
    Candidates c = Candidates.of(detections);
    c.selectAllBestFirst();
    apply(c);
    List<Detection> kept = new ArrayList<>(c.selected());
    for (int k = 0; k < c.selected(); k++) {
      kept.add(detections.get(c.selection()[k]));
    }
    return kept;
  }

  /** The same on a frame's candidates: narrows their selection, which is best score first. */
  void apply(Candidates c) {
    int[] order = c.selection();
    int kept = 0;
    for (int r = 0; r < c.selected(); r++) {
      int i = order[r];
      int cls = c.classId(i);
      if (cls >= 0 && cls < minScore.length && !(c.score(i) >= minScore[cls])) {
        continue;
      }
      if (crossClassIou < 1 && overlapsKept(c, order, kept, i)) {
        continue;
      }
      order[kept++] = i;
    }
    c.select(kept);
  }

  private boolean overlapsKept(Candidates c, int[] order, int kept, int i) {
    for (int k = 0; k < kept; k++) {
      if (c.iou(order[k], i) >= crossClassIou) {
        return true;
      }
    }
    return false;
  }
}
