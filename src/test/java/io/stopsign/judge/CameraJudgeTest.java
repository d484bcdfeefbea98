package io.stopsign.judge;

import static io.stopsign.judge.JudgeHarness.y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.Sample;
import io.stopsign.camera.Thresholds;
import io.stopsign.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The camera judge, live")
class CameraJudgeTest {
  private static final String RUN = "00000000-0000-0000-0000-00000000000a";

  private static TrackedBox box(long id, Sample s) {
    return new TrackedBox(
        id, "car", 0.9f, (float) s.x1(), (float) s.y1(), (float) s.x2(), (float) s.y2());
  }

  @Test
  @DisplayName("Track states carry speed, direction, parked and in-zone flags")
  void trackStates() {
    CameraJudge judge = new CameraJudge("cam1", RUN, JudgeHarness.scene());
    List<Sample> samples = ScenarioTest.fullStop().samples();
    List<TrackState> states = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      states.add(
          judge
              .observe(i, samples.get(i).t(), List.of(box(3, samples.get(i))), List.of())
              .tracks()
              .get(0));
    }
    TrackState cruising = states.get(30);
    assertThat(cruising.speed()).isBetween(140.0, 160.0);
    assertThat(cruising.direction())
        .isCloseTo(Math.PI / 2, org.assertj.core.api.Assertions.within(0.05));
    assertThat(cruising.inZone()).isFalse();
    assertThat(states).anySatisfy(s -> assertThat(s.inZone()).isTrue());
    assertThat(states).noneSatisfy(s -> assertThat(s.parked()).isTrue());
    assertThat(judge.speedUnit()).isEqualTo("px/s");
  }

  @Test
  @DisplayName(
      "A new track's speed is unknown (NaN, null on the wire) until 3 observations over half the"
          + " speed window (0.25 s)")
  void unknownSpeed() {
    CameraJudge judge = new CameraJudge("cam1", RUN, JudgeHarness.scene());
    double[] times = {0, 0.1, 0.249, 0.25};
    List<TrackState> states = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      double y = 200 + 150 * times[i];
      Sample s = new Sample(TrajectorySimulator.T0 + times[i], 580, y - 90, 700, y);
      states.add(judge.observe(i, s.t(), List.of(box(3, s)), List.of()).tracks().get(0));
    }
    assertThat(states.get(1).speed()).as("2 observations").isNaN();
    assertThat(states.get(2).speed()).as("3 observations over 0.249 s").isNaN();
    assertThat(states.get(2).toJson().getValue("speed")).isNull();
    assertThat(states.get(3).speed()).as("4 observations over 0.25 s").isBetween(140.0, 160.0);
  }

  @Test
  @DisplayName(
      "Parked after 30 s still, not un-parked by a short jolt, un-parked by sustained motion")
  void parkedState() {
    TrackKinematics k = new TrackKinematics(Thresholds.defaults("px/s"));
    double t = TrajectorySimulator.T0;
    double y = 200;
    for (int i = 0; i < 31 * 30; i++) {
      k.update(t += 1 / 30.0, 640, y, new double[] {640, y});
    }
    assertThat(k.parked()).isTrue();
    for (int i = 0; i < 15; i++) { // half a second of shuffling forward
      k.update(t += 1 / 30.0, 640, y += 2, new double[] {640, y});
    }
    for (int i = 0; i < 30; i++) {
      k.update(t += 1 / 30.0, 640, y, new double[] {640, y});
    }
    assertThat(k.parked()).as("after a short jolt").isTrue();
    for (int i = 0; i < 60; i++) {
      k.update(t += 1 / 30.0, 640, y += 3, new double[] {640, y});
    }
    assertThat(k.parked()).as("after 2 s of driving").isFalse();
  }

  @Test
  @DisplayName("A pass in progress keeps going under a zone moved at run time")
  void reconfigureKeepsPass() {
    CameraJudge judge = new CameraJudge("cam1", RUN, JudgeHarness.scene());
    List<Sample> samples = ScenarioTest.fullStop().samples();
    List<CameraJudge.CompletedPass> passes = new ArrayList<>();
    boolean moved = false;
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (!moved && s.groundY() >= 449) {
        // the car is stopped in the zone: make the zone deeper (to row 520)
        List<double[]> deeper =
            List.of(
                new double[] {540, 400},
                new double[] {740, 400},
                new double[] {740, 520},
                new double[] {540, 520});
        judge.reconfigure(new JudgeConfig(deeper, JudgeHarness.GATE, JudgeHarness.CAPTURE));
        moved = true;
      }
      passes.addAll(judge.observe(i, s.t(), List.of(box(1, s)), List.of()).passes());
    }
    passes.addAll(
        judge
            .observe(
                samples.size(), samples.get(samples.size() - 1).t() + 1, List.of(), List.of(1L))
            .passes());
    assertThat(moved).isTrue();
    assertThat(passes).hasSize(1);
    PassEvent pass = passes.get(0).pass();
    assertThat(pass.verdict()).isEqualTo(Verdict.FULL);
    // exit at row 520 instead of 500: the pass was judged under the new zone
    assertThat(pass.trajectory().get(pass.trajectory().size() - 1).groundY()).isGreaterThan(520);
    assertThat(judge.config().stopZone()).hasSize(4);
  }

  @Test
  @DisplayName(
      "A zone moved away from a pass in progress drops it; an invalid new config is refused, the old one kept")
  void reconfigureEdgeCases() {
    CameraJudge judge = new CameraJudge("cam1", RUN, JudgeHarness.scene());
    assertThatThrownBy(
            () ->
                judge.reconfigure(
                    new JudgeConfig(
                        List.of(
                            new double[] {0, 0},
                            new double[] {100, 100},
                            new double[] {100, 0},
                            new double[] {0, 100}),
                        List.of(),
                        List.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stop_zone");
    assertThat(judge.config().stopZone()).hasSize(4);
    List<Sample> samples =
        TrajectorySimulator.down(640, 100).cruise(150, y(375)).brakeTo(0, y(450)).stop(3).samples();
    for (int i = 0; i < samples.size(); i++) {
      judge.observe(i, samples.get(i).t(), List.of(box(1, samples.get(i))), List.of());
    }
    List<double[]> elsewhere =
        List.of(
            new double[] {0, 600},
            new double[] {200, 600},
            new double[] {200, 700},
            new double[] {0, 700});
    judge.reconfigure(new JudgeConfig(elsewhere, List.of(), List.of()));
    Sample last = samples.get(samples.size() - 1);
    CameraJudge.Step step =
        judge.observe(samples.size(), last.t() + 0.04, List.of(box(1, last)), List.of());
    assertThat(step.tracks().get(0).inZone()).isFalse();
    assertThat(judge.finishAll()).isEmpty();
  }

  @Test
  @DisplayName(
      "A track lost inside the zone, or never reported ended, makes no pass and is forgotten")
  void lostTracks() {
    CameraJudge judge = new CameraJudge("cam1", RUN, JudgeHarness.scene());
    List<Sample> samples = TrajectorySimulator.down(640, 100).cruise(150, y(450)).samples();
    long frame = 0;
    for (Sample s : samples) {
      assertThat(judge.observe(frame++, s.t(), List.of(box(1, s)), List.of()).passes()).isEmpty();
    }
    double t = samples.get(samples.size() - 1).t();
    assertThat(judge.observe(frame++, t + 11, List.of(), List.of()).passes()).isEmpty();
    assertThat(judge.finishAll()).isEmpty();
  }
}
