package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Class-wise NMS")
class NmsTest {

  private static Detection box(int cls, float score, float x1, float y1, float x2, float y2) {
    return new Detection(cls, null, score, x1, y1, x2, y2);
  }

  @Test
  @DisplayName("suppresses a weaker box of the same class that overlaps more than the threshold")
  void suppressesOverlap() {
    Detection strong = box(2, 0.9f, 0, 0, 100, 100);
    Detection weak = box(2, 0.6f, 5, 5, 105, 105);
    Detection apart = box(2, 0.5f, 300, 300, 400, 400);
    assertThat(Nms.classWise(List.of(weak, apart, strong), 0.5f, 10))
        .containsExactly(strong, apart);
  }

  @Test
  @DisplayName("keeps overlapping boxes when the overlap is at or below the threshold")
  void keepsModerateOverlap() {
    Detection a = box(2, 0.9f, 0, 0, 100, 100);
    Detection b = box(2, 0.8f, 50, 0, 150, 100); // IoU 1/3
    assertThat(Nms.classWise(List.of(a, b), 0.5f, 10)).containsExactly(a, b);
    assertThat(Nms.classWise(List.of(a, b), 0.3f, 10)).containsExactly(a);
  }

  @Test
  @DisplayName("never suppresses across classes")
  void classWise() {
    Detection car = box(2, 0.9f, 0, 0, 100, 100);
    Detection truck = box(7, 0.8f, 0, 0, 100, 100);
    assertThat(Nms.classWise(List.of(truck, car), 0.5f, 10)).containsExactly(car, truck);
  }

  @Test
  @DisplayName("returns boxes best score first and at most the limit")
  void orderingAndLimit() {
    Detection a = box(1, 0.3f, 0, 0, 10, 10);
    Detection b = box(2, 0.7f, 100, 0, 110, 10);
    Detection c = box(3, 0.5f, 200, 0, 210, 10);
    assertThat(Nms.classWise(List.of(a, b, c), 0.5f, 10)).containsExactly(b, c, a);
    assertThat(Nms.classWise(List.of(a, b, c), 0.5f, 2)).containsExactly(b, c);
  }

  @Test
  @DisplayName("gives an empty list for no candidates")
  void empty() {
    assertThat(Nms.classWise(List.of(), 0.5f, 10)).isEmpty();
  }
}
