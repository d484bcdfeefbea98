package io.stopsign.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeasePlanTest {
  private static final List<String> CAMERAS = List.of("a", "b", "c", "d");

  private static Map<String, Long> counts(Map<String, String> plan) {
    return plan.values().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  @DisplayName("free cameras spread evenly over the live analyzers")
  void spreadsEvenly() {
    Map<String, String> plan = LeasePlan.of(CAMERAS, List.of("n1", "n2"), Map.of());
    assertThat(plan).hasSize(4);
    assertThat(counts(plan).values()).containsOnly(2L);
  }

  @Test
  @DisplayName("a joining analyzer takes only its share; every other camera stays where it is")
  void joinMovesOnlyTheShare() {
    Map<String, String> holders = Map.of("a", "n1", "b", "n2", "c", "n1", "d", "n2");
    Map<String, String> plan = LeasePlan.of(CAMERAS, List.of("n1", "n2", "n3"), holders);
    long moved = CAMERAS.stream().filter(c -> !plan.get(c).equals(holders.get(c))).count();
    assertThat(moved).isEqualTo(1);
    assertThat(counts(plan)).containsEntry("n3", 1L);
    assertThat(counts(plan).values()).allMatch(n -> n >= 1 && n <= 2);
  }

  @Test
  @DisplayName("a dead analyzer's cameras go to the survivors; the plan is stable once applied")
  void deadHolderAndStability() {
    Map<String, String> holders = Map.of("a", "n1", "b", "n2", "c", "n1", "d", "n2");
    Map<String, String> plan = LeasePlan.of(CAMERAS, List.of("n2"), holders);
    assertThat(plan.values()).containsOnly("n2");
    Map<String, String> applied =
        new HashMap<>(LeasePlan.of(CAMERAS, List.of("n1", "n3"), holders));
    assertThat(LeasePlan.of(CAMERAS, List.of("n1", "n3"), applied))
        .as("applying a plan and planning again moves nothing (no flapping)")
        .isEqualTo(applied);
  }

  @Test
  @DisplayName("no live analyzer: no target")
  void nobody() {
    assertThat(LeasePlan.of(CAMERAS, List.of(), Map.of())).isEmpty();
    Collection<String> none = LeasePlan.of(List.of(), List.of("n1"), Map.of()).values();
    assertThat(none).isEmpty();
  }
}
