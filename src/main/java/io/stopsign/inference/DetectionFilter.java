package io.stopsign.inference;

import io.stopsign.config.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
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
    List<Detection> sorted = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      int c = d.classId();
      if (c < 0 || c >= minScore.length || d.score() >= minScore[c]) {
        sorted.add(d);
      }
    }
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>(sorted.size());
    for (Detection d : sorted) {
      if (crossClassIou >= 1 || kept.stream().noneMatch(k -> k.iou(d) >= crossClassIou)) {
        kept.add(d);
      }
    }
    return kept;
  }
}
