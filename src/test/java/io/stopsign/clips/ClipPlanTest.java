package io.stopsign.clips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClipPlanTest {
  private static RecordedSegment seg(double start, boolean discontinuity) {
    return new RecordedSegment(Path.of(start + ".ts"), start, 1.0, 1280, 720, discontinuity);
  }

  private static List<Double> starts(List<RecordedSegment> run) {
    return run.stream().map(RecordedSegment::startUtc).toList();
  }

  @Test
  @DisplayName("takes the segments overlapping the window, in time order")
  void overlapping() {
    List<RecordedSegment> all =
        List.of(
            seg(104, false),
            seg(100, false),
            seg(101, false),
            seg(102, false),
            seg(103, false),
            seg(105, false));
    assertThat(starts(ClipPlan.choose(all, 101.5, 103.5, 102, 103)))
        .containsExactly(101.0, 102.0, 103.0);
  }

  @Test
  @DisplayName(
      "a discontinuity splits the window, a capture-clock jump does not; the run showing most of the pass wins")
  void splitsRuns() {
    List<RecordedSegment> all =
        List.of(seg(100, false), seg(101, false), seg(102, true), seg(103, false), seg(110, false));
    assertThat(starts(ClipPlan.choose(all, 100, 111, 102.2, 103.9)))
        .containsExactly(102.0, 103.0, 110.0);
    assertThat(starts(ClipPlan.choose(all, 100, 111, 100.1, 101.5))).containsExactly(100.0, 101.0);
    assertThat(ClipPlan.choose(all, 120, 130, 121, 122)).isEmpty();
  }

  @Test
  @DisplayName(
      "segment names carry start, length, camera size and discontinuity, and nothing else parses")
  void names() {
    String name = RecordedSegment.name(1700000000.1234, 1.0333, 1280, 720, true);
    assertThat(name).isEqualTo("1700000000123-1033-1280x720-d.ts");
    RecordedSegment s = RecordedSegment.parse(Path.of("/x").resolve(name)).orElseThrow();
    assertThat(s.startUtc()).isEqualTo(1700000000.123);
    assertThat(s.seconds()).isEqualTo(1.033);
    assertThat(s.discontinuity()).isTrue();
    assertThat(RecordedSegment.parse(Path.of("seg-000001.ts"))).isEmpty();
    assertThat(RecordedSegment.parse(Path.of("99999999999999999999-1-1x1.ts"))).isEmpty();
  }
}
