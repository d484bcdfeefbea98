package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Class confidences and cross-class duplicates")
class DetectionFilterTest {
  private static final int CAR = CocoClasses.id("car");
  private static final int TRUCK = CocoClasses.id("truck");

  private static Detection box(int cls, float score, float x1, float x2) {
    return new Detection(cls, CocoClasses.label(cls), score, x1, 0, x2, 100);
  }

  private static final DetectionFilter DEFAULT =
      new DetectionFilter(0.3, ModelConfig.CLASS_CONFIDENCE, ModelConfig.CROSS_CLASS_IOU);

  @Test
  @DisplayName("a truck needs its own confidence, a car the model's; both sides of 0.45")
  void classConfidence() {
    Detection car = box(CAR, 0.31f, 0, 100);
    Detection weakTruck = box(TRUCK, 0.449f, 300, 400);
    Detection truck = box(TRUCK, 0.45f, 600, 700);
    assertThat(DEFAULT.apply(List.of(car, weakTruck, truck))).containsExactly(truck, car);
  }

  @Test
  @DisplayName(
      "one vehicle boxed as car and truck keeps the better box; IoU below the limit keeps both")
  void crossClassDuplicates() {
    Detection car = box(CAR, 0.5f, 0, 100);
    Detection sameAsTruck = box(TRUCK, 0.46f, 5, 105); // IoU 0.905
    assertThat(DEFAULT.apply(List.of(sameAsTruck, car))).containsExactly(car);
    Detection neighbour = box(TRUCK, 0.46f, 40, 140); // IoU 0.43
    assertThat(DEFAULT.apply(List.of(neighbour, car))).containsExactly(car, neighbour);
    DetectionFilter keepBoth = new DetectionFilter(0.3, Map.of(), 1.0);
    assertThat(keepBoth.apply(List.of(sameAsTruck, car))).containsExactly(car, sameAsTruck);
  }

  @Test
  @DisplayName("model.class_confidence takes class:score items; a bad item names the key")
  void readsConfig() {
    ModelConfig c =
        ModelConfig.from(
            ConfigReader.of("model", Map.of("class_confidence", List.of("bus:0.6", "truck:0.5"))));
    assertThat(c.classConfidence()).isEqualTo(Map.of("bus", 0.6, "truck", 0.5));
    assertThat(ModelConfig.from(ConfigReader.of("model", Map.of())).classConfidence())
        .isEqualTo(ModelConfig.CLASS_CONFIDENCE);
    for (String bad : List.of("truck", "truck:1.5", "lorry-ish:0.5", "truck:x")) {
      assertThatThrownBy(
              () ->
                  ModelConfig.from(
                      ConfigReader.of("model", Map.of("class_confidence", List.of(bad)))))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("model.class_confidence");
    }
  }
}
