package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("NMS and the filter on a frame's reused candidates")
class CandidatesTest {
  private static final DetectionFilter FILTER =
      new DetectionFilter(0.3, ModelConfig.CLASS_CONFIDENCE, ModelConfig.CROSS_CLASS_IOU);

  @Test
  @DisplayName(
      "keep exactly the boxes, in the order, that sorting and filtering lists of records kept")
  void sameAsListsOfRecords() {
    Random random = new Random(7);
    Candidates reused = new Candidates();
    for (int frame = 0; frame < 500; frame++) {
      List<Detection> found = frame(random, random.nextInt(frame % 50 == 0 ? 400 : 60));
      reused.clear();
      for (Detection d : found) {
        reused.add(d.classId(), d.score(), d.x1(), d.y1(), d.x2(), d.y2());
      }
      int maxKept = frame % 7 == 0 ? 3 : 300;
      Nms.classWise(reused, 0.5f, maxKept);
      FILTER.apply(reused);
      List<Detection> kept = new ArrayList<>();
      for (int k = 0; k < reused.selected(); k++) {
        kept.add(reused.detection(reused.selection()[k]));
      }
      assertThat(kept).as("frame %d", frame).isEqualTo(reference(found, 0.5f, maxKept));
    }
  }

  /** Candidates with tied scores, NaN scores and heavy overlaps, as a weak detector gives. */
  private static List<Detection> frame(Random random, int n) {
    List<Detection> found = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float x = random.nextInt(40) * 10f;
      float y = random.nextInt(20) * 10f;
      float score = random.nextInt(16) / 16f + 0.25f;
      if (random.nextInt(100) == 0) {
        score = Float.NaN;
      }
      int cls = new int[] {2, 2, 7, 5, 3}[random.nextInt(5)];
      found.add(new Detection(cls, null, score, x, y, x + 30 + random.nextInt(30), y + 40));
    }
    return found;
  }

  /** The list-and-comparator code the primitive path replaced. */
  private static List<Detection> reference(List<Detection> candidates, float iou, int maxKept) {
    List<Detection> sorted = new ArrayList<>(candidates);
    Comparator<Detection> bestFirst = Comparator.comparingDouble(Detection::score).reversed();
    sorted.sort(bestFirst);
    boolean[] suppressed = new boolean[sorted.size()];
    List<Detection> nms = new ArrayList<>();
    for (int i = 0; i < sorted.size() && nms.size() < maxKept; i++) {
      if (suppressed[i]) {
        continue;
      }
      Detection best = sorted.get(i);
      nms.add(best);
      for (int j = i + 1; j < sorted.size(); j++) {
        Detection other = sorted.get(j);
        if (!suppressed[j] && other.classId() == best.classId() && best.iou(other) > iou) {
          suppressed[j] = true;
        }
      }
    }
    List<Detection> passed = new ArrayList<>();
    for (Detection d : nms) {
      float min = d.classId() == 7 || d.classId() == 5 ? 0.45f : 0.3f;
      if (d.score() >= min) {
        passed.add(d);
      }
    }
    passed.sort(bestFirst);
    List<Detection> kept = new ArrayList<>();
    for (Detection d : passed) {
      if (kept.stream().noneMatch(k -> k.iou(d) >= (float) ModelConfig.CROSS_CLASS_IOU)) {
        kept.add(d);
      }
    }
    return kept;
  }
}
