package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.decode.Frame;
import io.stopsign.inference.Detections;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InputGeometry;
import io.stopsign.inference.ModelConfig;
import io.stopsign.testing.Fixtures;
import io.stopsign.tracking.TrackerConfig;
import io.stopsign.tracking.TrackerReplay;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Judging real tracks of real road footage")
class RoadFootageJudgeTest {
  private static final int RAW_W = 1280;
  private static final int RAW_H = 720;
  private static List<Detections> detections;

  @BeforeAll
  static void detect() throws Exception {
    String clip = Fixtures.path("media/road-cars-720p30.mp4").toString();
    ModelConfig model =
        new ModelConfig(
            Fixtures.path("models/fastestdet.onnx").toString(),
            "fastestdet",
            "auto",
            0.3,
            0.5,
            List.of("car", "truck", "bus", "motorcycle"),
            1);
    String run = UUID.randomUUID().toString();
    detections = new ArrayList<>();
    try (Detector detector = Detectors.open(model)) {
      InputGeometry.Size size = detector.input().contentSize(RAW_W, RAW_H);
      String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
      Process p =
          new ProcessBuilder(
                  ffmpeg,
                  "-v",
                  "error",
                  "-nostdin",
                  "-i",
                  clip,
                  "-vf",
                  "scale=" + size.width() + ":" + size.height(),
                  "-f",
                  "rawvideo",
                  "-pix_fmt",
                  "rgb24",
                  "-")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      byte[] rgb = new byte[size.width() * size.height() * 3];
      try (DataInputStream in = new DataInputStream(p.getInputStream())) {
        for (int seq = 0; ; seq++) {
          try {
            in.readFully(rgb);
          } catch (EOFException e) {
            break;
          }
          ByteBuffer pixels = ByteBuffer.allocateDirect(rgb.length).put(rgb).flip();
          Frame frame =
              new Frame(
                  "road",
                  run,
                  seq,
                  1_700_000_000.0 + seq / 30.0,
                  RAW_W,
                  RAW_H,
                  size.width(),
                  size.height(),
                  pixels,
                  () -> {});
          detections.add(detector.detect(frame));
        }
      }
      p.waitFor();
    }
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
