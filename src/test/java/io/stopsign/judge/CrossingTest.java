package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Crossings seen in only a few observations")
class CrossingTest {

  /** A car driving down the test road, observed at the given rows, 0.2 s apart (5 fps). */
  private static List<Sample> seenAt(double... rows) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      out.add(at(0.2 * i, rows[i]));
    }
    return out;
  }

  private static Sample at(double t, double row) {
    return new Sample(TrajectorySimulator.T0 + t, 580, row - 90, 700, row);
  }

  @Test
  @DisplayName("At 600 px/s and 5 fps, seen once inside the zone or not at all, it is no stop")
  void fastCrossings() {
    ScenarioTest.assertLabel("seen once inside", seenAt(100, 220, 340, 460, 580, 700, 820), "none");
    // the frame at 0.6 s, with the car inside, is missing
    List<Sample> between =
        List.of(at(0, 100), at(0.2, 220), at(0.4, 340), at(0.8, 580), at(1.0, 700), at(1.2, 820));
    ScenarioTest.assertLabel("seen before the zone, then beyond it", between, "none");
    PassScore score = new PassScorer(JudgeGeometry.of(JudgeHarness.scene())).score(between);
    assertThat(score.timeInZone()).as("interpolated entry and exit").isCloseTo(0.167, within());
    assertThat(score.entryTs() - TrajectorySimulator.T0).isCloseTo(0.5, within());
    assertThat(score.reason()).contains("crossed the zone in 0.17 s");
  }

  @Test
  @DisplayName("A track lost right after crossing the zone still makes its pass")
  void lostRightAfter() {
    ScenarioTest.assertLabel(
        "lost one frame past the zone",
        List.of(at(0, 100), at(0.2, 220), at(0.4, 340), at(0.8, 580)),
        "none");
  }

  @Test
  @DisplayName("Across the zone the wrong way, between two observations, is rejected")
  void fastWrongWay() {
    ScenarioTest.assertLabel("wrong way", seenAt(820, 700, 580, 460, 340, 220, 100), "rejected");
  }

  @Test
  @DisplayName("With gaps and uneven spacing, time in zone and speeds come from time stamps")
  void unevenSpacing() {
    // 150 px/s through the 100 px zone: 0.667 s inside, whatever the spacing
    double[] times = {0, 0.1, 0.35, 0.4, 0.9, 1.5, 2.2, 2.25, 2.3, 2.9, 3.1, 3.6, 4.0};
    List<Sample> samples = new ArrayList<>();
    for (double t : times) {
      double y = 100 + 150 * t;
      samples.add(new Sample(TrajectorySimulator.T0 + t, 580, y - 90, 700, y));
    }
    PassScore score = new PassScorer(JudgeGeometry.of(JudgeHarness.scene())).score(samples);
    assertThat(score.verdict()).as(score.reason()).isEqualTo(Verdict.NONE);
    assertThat(score.timeInZone()).isCloseTo(0.667, within());
    assertThat(score.minSpeed()).isCloseTo(150, org.assertj.core.data.Offset.offset(1.0));
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }
}
