package io.stopsign.judge;

import static io.stopsign.judge.JudgeHarness.y;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Labelled driving scenarios")
class ScenarioTest {
  private static final String NO_PASS = "no pass";

  static TrajectorySimulator fullStop() {
    return TrajectorySimulator.down(640, 100)
        .cruise(150, y(375))
        .brakeTo(0, y(450))
        .stop(2.0)
        .accelerate(100, 150, y(750));
  }

  static TrajectorySimulator rollingStop() {
    return TrajectorySimulator.down(640, 100)
        .cruise(150, y(360))
        .brakeTo(25, y(440))
        .accelerate(40, 150, y(750));
  }

  static TrajectorySimulator noStop() {
    return TrajectorySimulator.down(640, 100).cruise(150, y(750));
  }

  /** Judges the samples live and by re-scoring; both must give {@code label}. */
  static void assertLabel(String scenario, List<Sample> samples, String label) {
    assertLabel(scenario, JudgeHarness.scene(), samples, label);
  }

  static void assertLabel(String scenario, JudgeConfig config, List<Sample> samples, String label) {
    JudgeHarness.Run run = JudgeHarness.live(config, samples);
    List<CameraJudge.CompletedPass> passes = run.of(1L);
    PassScore whole = new PassScorer(JudgeGeometry.of(config)).score(samples);
    if (label.equals(NO_PASS)) {
      assertThat(passes).as(scenario + ": live passes").isEmpty();
      assertThat(whole.pass())
          .as(scenario + ": re-scored whole track: " + whole.reason())
          .isFalse();
      return;
    }
    assertThat(passes).as(scenario + ": live passes").hasSize(1);
    PassEvent pass = passes.get(0).pass();
    assertThat(pass.verdict().wire())
        .as(scenario + ": live verdict, " + pass.reason())
        .isEqualTo(label);
    PassScore again =
        new PassScorer(JudgeGeometry.of(config))
            .score(PassEvent.fromJson(pass.toJson()).trajectory());
    assertThat(again.fill(new io.vertx.core.json.JsonObject()))
        .as(scenario + ": re-score of the stored trajectory")
        .isEqualTo(liveScore(pass));
    assertThat(whole.verdict().wire())
        .as(scenario + ": whole track re-scored, " + whole.reason())
        .isEqualTo(label);
  }

  private static io.vertx.core.json.JsonObject liveScore(PassEvent pass) {
    io.vertx.core.json.JsonObject json = pass.toJson();
    return new io.vertx.core.json.JsonObject()
        .put("verdict", json.getValue("verdict"))
        .put("time_in_zone", json.getValue("time_in_zone"))
        .put("stop_duration", json.getValue("stop_duration"))
        .put("min_speed", json.getValue("min_speed"))
        .put("entry_speed", json.getValue("entry_speed"))
        .put("speed_unit", json.getValue("speed_unit"))
        .put("reason", json.getValue("reason"));
  }

  @Test
  @DisplayName("A full stop in the zone is full, a slow roll is rolling, driving through is none")
  void basicVerdicts() {
    assertLabel("full stop", fullStop().samples(), "full");
    assertLabel("rolling stop", rollingStop().samples(), "rolling");
    assertLabel("no stop", noStop().samples(), "none");
  }

  @Test
  @DisplayName("A full stop measures its stop duration, time in zone and entry speed")
  void fullStopMeasurements() {
    JudgeHarness.Run run = JudgeHarness.live(JudgeHarness.scene(), fullStop().samples());
    PassEvent pass = run.of(1L).get(0).pass();
    // 0.82 s braking in the zone, 2.0 s stopped, 1.0 s to leave it
    assertThat(pass.timeInZone()).isBetween(3.6, 4.0);
    assertThat(pass.stopDuration()).isBetween(2.0, 2.6);
    assertThat(pass.minSpeed()).isLessThan(2.0);
    assertThat(pass.entrySpeed()).isBetween(110.0, 150.0);
    assertThat(pass.speedUnit()).isEqualTo("px/s");
  }

  @Test
  @DisplayName("Stopping before the zone and then driving through it is no stop")
  void stopOutsideTheZone() {
    List<Sample> samples =
        TrajectorySimulator.down(640, 100)
            .cruise(150, y(250))
            .brakeTo(0, y(330))
            .stop(3.0)
            .accelerate(100, 200, y(750))
            .samples();
    assertLabel("stop outside the zone", samples, "none");
  }

  @Test
  @DisplayName("A car parked in the zone, or first seen there, makes no pass when it leaves")
  void parkedThenLeaving() {
    List<Sample> parkedInZone =
        TrajectorySimulator.down(640, 100)
            .cruise(150, y(375))
            .brakeTo(0, y(450))
            .stop(45)
            .accelerate(80, 150, y(750))
            .samples();
    assertLabel("parked in the zone 45 s, then leaving", parkedInZone, NO_PASS);
    List<Sample> bornInside =
        new TrajectorySimulator(30, 640, 450, 640, 1450)
            .stop(120)
            .accelerate(80, 150, 300)
            .samples();
    assertLabel("parked in the zone since the track began, then leaving", bornInside, NO_PASS);
  }

  @Test
  @DisplayName("A parked car at the zone edge whose box jitters across it makes no pass")
  void parkedAtTheEdge() {
    List<Sample> samples =
        new TrajectorySimulator(30, 640, 398, 640, 1398).stop(180).jitter(3, 0.02, 7).samples();
    assertLabel("parked across the zone edge", samples, NO_PASS);
  }

  @Test
  @DisplayName("A car parked upstream un-parks when it drives off and is judged normally")
  void parkedUpstreamThenFullStop() {
    List<Sample> samples =
        new TrajectorySimulator(30, 640, 200, 640, 1200)
            .stop(90)
            .accelerate(80, 150, 175)
            .brakeTo(0, 250)
            .stop(2.0)
            .accelerate(100, 150, 600)
            .samples();
    assertLabel("parked upstream, then a full stop", samples, "full");
  }

  @Test
  @DisplayName(
      "Occlusion gaps in the approach, the stop or across the entry do not change the verdict")
  void occlusionGaps() {
    assertLabel("full stop with gaps", fullStop().gap(1.0, 1.5).gap(3.2, 3.9).samples(), "full");
    assertLabel("rolling with a gap", rollingStop().gap(2.4, 2.8).samples(), "rolling");
    assertLabel("no stop with a gap across the entry", noStop().gap(1.8, 2.2).samples(), "none");
  }

  @Test
  @DisplayName("Detector jitter and box glitches do not change the verdict (20 seeds each)")
  void detectorJitter() {
    for (long seed = 1; seed <= 20; seed++) {
      assertLabel(
          "full stop, jitter seed " + seed, fullStop().jitter(2.5, 0.03, seed).samples(), "full");
      assertLabel(
          "rolling, jitter seed " + seed,
          rollingStop().jitter(2.5, 0.03, seed).samples(),
          "rolling");
      assertLabel(
          "no stop, jitter seed " + seed, noStop().jitter(2.5, 0.03, seed).samples(), "none");
    }
  }

  @Test
  @DisplayName(
      "Two cars queued: the first stops in the zone, the second waits behind it then rolls through")
  void twoCarsQueued() {
    List<Sample> first =
        TrajectorySimulator.down(640, 100)
            .cruise(150, y(375))
            .brakeTo(0, y(450))
            .stop(3.0)
            .accelerate(100, 150, y(750))
            .samples();
    List<Sample> second =
        TrajectorySimulator.down(640, 100)
            .startAt(TrajectorySimulator.T0 + 1.0)
            .cruise(150, y(250))
            .brakeTo(0, y(330))
            .stop(3.5)
            .accelerate(60, 40, y(750))
            .samples();
    Map<Long, List<Sample>> tracks = new LinkedHashMap<>();
    tracks.put(7L, first);
    tracks.put(8L, second);
    JudgeHarness.Run run =
        JudgeHarness.live(
            new CameraJudge("cam1", "00000000-0000-0000-0000-000000000002", JudgeHarness.scene()),
            tracks);
    LongFunction<String> verdict = id -> run.of(id).get(0).pass().verdict().wire();
    assertThat(run.of(7L)).hasSize(1);
    assertThat(run.of(8L)).hasSize(1);
    assertThat(verdict.apply(7L)).isEqualTo("full");
    assertThat(verdict.apply(8L)).isEqualTo("rolling");
    assertThat(run.of(8L).get(0).pass().entryTsUtc())
        .isGreaterThan(run.of(7L).get(0).pass().tsUtc());
  }

  @Test
  @DisplayName("A car coming the wrong way through the zone, or crossing it sideways, is rejected")
  void wrongDirection() {
    List<Sample> wrongWay =
        new TrajectorySimulator(30, 640, 700, 640, -300)
            .cruise(150, 200)
            .brakeTo(0, 250)
            .stop(2.5)
            .accelerate(100, 150, 700)
            .samples();
    assertLabel("wrong way with a stop", wrongWay, "rejected");
    JudgeHarness.Run run = JudgeHarness.live(JudgeHarness.scene(), wrongWay);
    assertThat(run.of(1L).get(0).pass().reason()).contains("wrong direction");
    List<Sample> crossTraffic =
        new TrajectorySimulator(30, 100, 450, 1300, 450).cruise(80, 1200).samples();
    assertLabel("cross traffic", crossTraffic, "rejected");
  }

  @Test
  @DisplayName("Without a pre-stop line every direction counts")
  void noGate() {
    List<Sample> wrongWay =
        new TrajectorySimulator(30, 640, 700, 640, -300)
            .cruise(150, 200)
            .brakeTo(0, 250)
            .stop(2.5)
            .accelerate(100, 150, 700)
            .samples();
    assertLabel(
        "up the road, no gate",
        new JudgeConfig(JudgeHarness.ZONE, List.of(), List.of()),
        wrongWay,
        "full");
  }

  @Test
  @DisplayName(
      "The snapshot is the frame where the car crosses the capture line, announced as it happens")
  void snapshotAtCaptureLine() {
    List<Sample> samples = fullStop().samples();
    CameraJudge judge = new CameraJudge("cam1", "run-1", JudgeHarness.scene());
    List<CameraJudge.Capture> captures = new java.util.ArrayList<>();
    List<CameraJudge.CompletedPass> passes = new java.util.ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      TrackedBox box =
          new TrackedBox(
              4, "car", 0.9f, (float) s.x1(), (float) s.y1(), (float) s.x2(), (float) s.y2());
      CameraJudge.Step step = judge.observe(i, s.t(), List.of(box), List.of());
      captures.addAll(step.captures());
      passes.addAll(step.passes());
    }
    passes.addAll(judge.finishAll());
    int crossing = 0;
    while (samples.get(crossing).groundY() < 450) {
      crossing++;
    }
    assertThat(captures)
        .containsExactly(
            new CameraJudge.Capture(4, crossing, "snapshots/cam1/run-1-4-" + crossing + ".jpg"));
    assertThat(passes).hasSize(1);
    assertThat(passes.get(0).captured()).isTrue();
    assertThat(passes.get(0).snapshotFrame()).isEqualTo(crossing);
    assertThat(passes.get(0).pass().snapshot()).isEqualTo(captures.get(0).path());

    JudgeConfig withoutCapture = new JudgeConfig(JudgeHarness.ZONE, JudgeHarness.GATE, List.of());
    CameraJudge.CompletedPass atExit = JudgeHarness.live(withoutCapture, samples).of(1L).get(0);
    assertThat(atExit.captured()).isFalse();
    assertThat(samples.get((int) atExit.snapshotFrame()).groundY()).isGreaterThan(500);
    assertThat(samples.get((int) atExit.snapshotFrame() - 1).groundY()).isLessThanOrEqualTo(500);
    assertThat(atExit.pass().snapshot()).isEqualTo("snapshots/cam1/" + atExit.pass().id() + ".jpg");
  }
}
