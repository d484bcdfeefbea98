package io.stopsign.judge;

import static io.stopsign.judge.JudgeHarness.y;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.GroundCalibration;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.camera.Thresholds;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Thresholds at their boundaries, on both sides")
class ThresholdBoundaryTest {
  private static final Thresholds PX = Thresholds.defaults("px/s");

  private static Verdict rule(double timeInZone, double stopDuration, double minSpeed) {
    return VerdictRule.decide(PX, timeInZone, stopDuration, minSpeed).verdict();
  }

  @Test
  @DisplayName("Full needs time in zone >= 2.0 s, stop duration >= 1.2 s and min speed < 12 px/s")
  void fullBoundaries() {
    assertThat(rule(2.0, 1.2, 11.99)).isEqualTo(Verdict.FULL);
    assertThat(rule(1.999, 1.2, 11.99)).isEqualTo(Verdict.ROLLING);
    assertThat(rule(2.0, 1.199, 11.99)).isEqualTo(Verdict.ROLLING);
    assertThat(rule(2.0, 1.2, 12.0)).isEqualTo(Verdict.ROLLING);
  }

  @Test
  @DisplayName(
      "Rolling needs time in zone >= 1.5 s and a slowest speed under 48 px/s; else it is no stop")
  void rollingBoundary() {
    assertThat(rule(1.5, 0, 47.99)).isEqualTo(Verdict.ROLLING);
    assertThat(rule(1.499, 0, 47.99)).isEqualTo(Verdict.NONE);
    assertThat(rule(1.5, 0, 48.0)).isEqualTo(Verdict.NONE);
    assertThat(rule(30, 0, 60))
        .as("a slow cruise through a deep zone is no stop")
        .isEqualTo(Verdict.NONE);
  }

  @Test
  @DisplayName("Stays under 0.2 s or over 60 s are rejected and never count for compliance")
  void rejectBoundaries() {
    assertThat(rule(0.2, 0, 150)).isEqualTo(Verdict.NONE);
    assertThat(rule(0.199, 0, 150)).isEqualTo(Verdict.REJECTED);
    assertThat(rule(60.0, 58, 0)).isEqualTo(Verdict.FULL);
    assertThat(rule(60.001, 58, 0)).isEqualTo(Verdict.REJECTED);
    assertThat(VerdictRule.decide(PX, 0.199, 0, 150, true).verdict())
        .as("under 0.2 s but across the zone: a crossing faster than any stop")
        .isEqualTo(Verdict.NONE);
    assertThat(VerdictRule.decide(PX, 0.2, 0, 150, true).verdict()).isEqualTo(Verdict.NONE);
    assertThat(VerdictRule.decide(PX, 60.001, 58, 0, true).verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(Verdict.REJECTED.counts()).isFalse();
    assertThat(Verdict.compliance(1, 1, 2)).isEqualTo(0.25);
  }

  @Test
  @DisplayName("Thresholds from config move the boundaries")
  void configuredThresholds() {
    Thresholds strict =
        JudgeConfig.fromJson(
                new JsonObject()
                    .put("stop_zone", GroundCalibration.points(JudgeHarness.ZONE))
                    .put(
                        "thresholds",
                        new JsonObject()
                            .put("full_min_stop_duration", 3)
                            .put("stop_speed", "5 px/s")))
            .thresholds();
    assertThat(VerdictRule.decide(strict, 4, 2.9, 1).verdict()).isEqualTo(Verdict.ROLLING);
    assertThat(VerdictRule.decide(strict, 4, 3.0, 1).verdict()).isEqualTo(Verdict.FULL);
    assertThat(VerdictRule.decide(strict, 4, 3.0, 5).verdict()).isEqualTo(Verdict.ROLLING);
  }

  /** A car at constant speed through the 100 px deep zone: about 100 / speed seconds inside. */
  private static String verdictAtSpeed(double speed) {
    List<Sample> samples = TrajectorySimulator.down(640, 100).cruise(speed, y(600)).samples();
    return JudgeHarness.live(JudgeHarness.scene(), samples).of(1L).get(0).pass().verdict().wire();
  }

  @Test
  @DisplayName(
      "On a trajectory, crawling through at 40 px/s is rolling, cruising at 56 px/s is no stop")
  void rollingBoundaryOnTrajectories() {
    assertThat(verdictAtSpeed(40)).isEqualTo("rolling");
    assertThat(verdictAtSpeed(56)).isEqualTo("none");
    assertThat(verdictAtSpeed(100 / 1.45)).isEqualTo("none");
  }

  private static String fullStopFor(double seconds, JudgeConfig config) {
    List<Sample> samples =
        TrajectorySimulator.down(640, 100)
            .cruise(150, y(375))
            .brakeTo(0, y(450))
            .stop(seconds)
            .accelerate(100, 150, y(750))
            .samples();
    List<CameraJudge.CompletedPass> passes = JudgeHarness.live(config, samples).of(1L);
    return passes.isEmpty() ? "no pass" : passes.get(0).pass().verdict().wire();
  }

  @Test
  @DisplayName("On a trajectory, a 0.8 s stop is rolling and a 1.6 s stop is full")
  void stopDurationOnTrajectories() {
    assertThat(fullStopFor(0.8, JudgeHarness.scene())).isEqualTo("rolling");
    assertThat(fullStopFor(1.6, JudgeHarness.scene())).isEqualTo("full");
  }

  @Test
  @DisplayName("Standing 25 s in the zone is a full stop; 35 s is parking and makes no pass")
  void parkedBoundary() {
    assertThat(fullStopFor(25, JudgeHarness.scene())).isEqualTo("full");
    assertThat(fullStopFor(35, JudgeHarness.scene())).isEqualTo("no pass");
  }

  @Test
  @DisplayName(
      "With parking later than 60 s, a 55 s stay is full and a 65 s one is cut and rejected")
  void maxPassDuration() {
    JudgeConfig config =
        JudgeConfig.fromJson(
            JudgeHarness.scene()
                .toJson()
                .put("thresholds", new JsonObject().put("parked_after_s", 300)));
    assertThat(fullStopFor(55, config)).isEqualTo("full");
    List<Sample> samples =
        TrajectorySimulator.down(640, 100)
            .cruise(150, y(375))
            .brakeTo(0, y(450))
            .stop(65)
            .accelerate(100, 150, y(750))
            .samples();
    PassEvent pass = JudgeHarness.live(config, samples).of(1L).get(0).pass();
    assertThat(pass.verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(pass.reason()).contains("max_pass_duration");
    assertThat(pass.trajectory().get(pass.trajectory().size() - 1).t() - pass.entryTsUtc())
        .isLessThan(61);
  }

  /** A zone 30 px deep, and no pre-stop line. */
  private static JudgeConfig thinZone(JsonObject thresholds) {
    List<double[]> zone =
        List.of(
            new double[] {540, 400},
            new double[] {740, 400},
            new double[] {740, 430},
            new double[] {540, 430});
    return JudgeConfig.fromJson(
        new JudgeConfig(zone, List.of(), List.of()).toJson().put("thresholds", thresholds));
  }

  /**
   * A car crossing the thin zone at {@code fps} with exactly {@code insideFrames} samples inside.
   */
  private static List<Sample> crossing(double fps, int insideFrames) {
    double step = 30.0 / insideFrames;
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      double y = 400 + step * (i - 10 + 0.5);
      out.add(new Sample(TrajectorySimulator.T0 + i / fps, 580, y - 90, 700, y));
    }
    return out;
  }

  /** Side changes a debouncer reports over {@code insideFrames} raw inside samples at fps. */
  private static List<ZoneDebouncer.Change> dip(JsonObject thresholds, double fps, int frames) {
    ZoneDebouncer zone = new ZoneDebouncer(thinZone(thresholds).thresholds());
    List<ZoneDebouncer.Change> changes = new ArrayList<>();
    for (int i = 0; i < frames + 20; i++) {
      boolean inside = i >= 10 && i < 10 + frames;
      ZoneDebouncer.Change c = zone.update(i, TrajectorySimulator.T0 + i / fps, inside);
      if (c != ZoneDebouncer.Change.NONE) {
        changes.add(c);
      }
    }
    return changes;
  }

  @Test
  @DisplayName(
      "A zone entry needs >= 0.2 s inside: 6 frames at 30 fps (0.17 s) are jitter, 8 (0.23 s) are"
          + " a stay; a car crossing in either is a pass")
  void debounceSeconds() {
    assertThat(dip(new JsonObject(), 30, 6)).isEmpty();
    assertThat(dip(new JsonObject(), 30, 8))
        .containsExactly(ZoneDebouncer.Change.ENTERED, ZoneDebouncer.Change.EXITED);
    PassScorer scorer = new PassScorer(JudgeGeometry.of(thinZone(new JsonObject())));
    assertThat(scorer.score(crossing(30, 6)).verdict()).isEqualTo(Verdict.NONE);
    assertThat(scorer.score(crossing(30, 8)).verdict()).isEqualTo(Verdict.NONE);
    assertThat(JudgeHarness.live(thinZone(new JsonObject()), crossing(30, 6)).of(1L)).hasSize(1);
    assertThat(JudgeHarness.live(thinZone(new JsonObject()), crossing(30, 8)).of(1L)).hasSize(1);
  }

  @Test
  @DisplayName(
      "A zone entry needs >= 2 frames: at 2 fps one frame inside is jitter, two are a stay; a car"
          + " crossing in one is still a pass")
  void debounceFrames() {
    JsonObject noSeconds = new JsonObject().put("debounce_s", 0);
    assertThat(dip(noSeconds, 2, 1)).isEmpty();
    assertThat(dip(noSeconds, 2, 2))
        .containsExactly(ZoneDebouncer.Change.ENTERED, ZoneDebouncer.Change.EXITED);
    PassScorer scorer = new PassScorer(JudgeGeometry.of(thinZone(noSeconds)));
    assertThat(scorer.score(crossing(2, 1)).verdict()).isEqualTo(Verdict.NONE);
    assertThat(scorer.score(crossing(2, 2)).verdict()).isEqualTo(Verdict.NONE);
  }

  /**
   * A car at 400 px/s, 10 fps, on the line y = x + {@code c}, across the top-right corner of the
   * zone: it cuts a chord of sqrt(2) * (340 + c) px through it.
   */
  private static List<Sample> cornerCut(double c) {
    List<Sample> out = new ArrayList<>();
    double step = 40 / Math.sqrt(2);
    for (int i = 0; i < 20; i++) {
      double x = 500 + step * i;
      double y = x + c;
      out.add(new Sample(TrajectorySimulator.T0 + i / 10.0, x - 60, y - 90, x + 60, y));
    }
    return out;
  }

  @Test
  @DisplayName(
      "A quick crossing must go min_travel (20 px) across the zone: 19 px over a corner is not a"
          + " pass, 21 px is one")
  void crossingLength() {
    JudgeConfig config = new JudgeConfig(JudgeHarness.ZONE, List.of(), List.of());
    PassScorer scorer = new PassScorer(JudgeGeometry.of(config));
    PassScore clipped = scorer.score(cornerCut(19 / Math.sqrt(2) - 340));
    assertThat(clipped.pass()).as(clipped.reason()).isFalse();
    assertThat(clipped.reason()).contains("clipped the zone edge");
    PassScore crossed = scorer.score(cornerCut(21 / Math.sqrt(2) - 340));
    assertThat(crossed.verdict()).as(crossed.reason()).isEqualTo(Verdict.NONE);
    assertThat(crossed.reason()).contains("crossed the zone in");
    assertThat(JudgeHarness.live(config, cornerCut(19 / Math.sqrt(2) - 340)).of(1L)).isEmpty();
    assertThat(JudgeHarness.live(config, cornerCut(21 / Math.sqrt(2) - 340)).of(1L)).hasSize(1);
  }

  @Test
  @DisplayName(
      "A gap counts as stopped time only if the car stayed put: 1 s apart, 21.9 px is still (12"
          + " px/s x 1 s + min_travel / 2), 22.1 px is not")
  void stillAcrossAGap() {
    PassMeasures measures = new PassMeasures(JudgeGeometry.of(JudgeHarness.scene()));
    Sample before = new Sample(TrajectorySimulator.T0, 580, 360, 700, 450);
    assertThat(
            measures.stillBetween(
                before, new Sample(TrajectorySimulator.T0 + 1, 580, 381.9, 700, 471.9)))
        .isTrue();
    assertThat(
            measures.stillBetween(
                before, new Sample(TrajectorySimulator.T0 + 1, 580, 382.1, 700, 472.1)))
        .isFalse();
  }
}
