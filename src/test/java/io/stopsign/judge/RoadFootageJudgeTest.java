package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.inference.Detections;
import io.stopsign.testing.RoadClip;
import io.stopsign.tracking.TrackerConfig;
import io.stopsign.tracking.TrackerReplay;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Judging real tracks of real road footage")
class RoadFootageJudgeTest {
  private static List<Detections> detections;

  /** FastestDet (the model for tests where inference is not under test) on the whole road clip. */
  @BeforeAll
  static void detect() throws Exception {
    detections = RoadClip.detections("models/fastestdet.onnx", "fastestdet", RoadClip.ALL_FRAMES);
  }

  @Test
  @DisplayName(
      "Cars driving through a zone across the road at speed make one 'none' pass each, re-scored alike")
  void carsDrivingThroughAreNone() {
    List<TrackerReplay.Step> steps = TrackerReplay.replay(detections, TrackerConfig.DEFAULTS);
    // a band across both lanes in the lower half of the picture, clear of the frame edges
    JudgeConfig config =
        new JudgeConfig(
            List.of(
                new double[] {320, 540},
                new double[] {1150, 540},
                new double[] {1230, 640},
                new double[] {330, 640}),
            List.of(new double[] {300, 500}, new double[] {1100, 500}),
            List.of(new double[] {320, 590}, new double[] {1190, 590}));
    CameraJudge judge = new CameraJudge("road", UUID.randomUUID().toString(), config);
    List<CameraJudge.CompletedPass> passes = new ArrayList<>();
    int captures = 0;
    for (TrackerReplay.Step s : steps) {
      CameraJudge.Step step =
          judge.observe(
              s.frame().seq(), s.frame().tsUtc(), s.update().tracks(), s.update().ended());
      passes.addAll(step.passes());
      captures += step.captures().size();
    }
    passes.addAll(judge.finishAll());
    PassScorer scorer = new PassScorer(JudgeGeometry.of(config));
    for (CameraJudge.CompletedPass p : passes) {
      PassEvent pass = p.pass();
      System.out.printf(
          "road pass: track %d %s, %s%n", pass.trackId(), pass.verdict().wire(), pass.reason());
      assertThat(pass.verdict())
          .as("track %d: %s", pass.trackId(), pass.reason())
          .isEqualTo(Verdict.NONE);
      assertThat(pass.timeInZone()).isBetween(0.3, 1.0);
      assertThat(pass.minSpeed()).as("nobody slows down on this road").isGreaterThan(100);
      assertThat(scorer.score(pass.trajectory()).verdict()).isEqualTo(Verdict.NONE);
    }
    assertThat(passes).as("cars crossing the band in 9 s").hasSizeBetween(6, 10);
    assertThat(passes.stream().map(p -> p.pass().trackId()).distinct()).hasSameSizeAs(passes);
    assertThat(passes).allSatisfy(p -> assertThat(p.captured()).isTrue());
    assertThat(captures).isGreaterThanOrEqualTo(passes.size());
  }
}
