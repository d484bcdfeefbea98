package io.stopsign.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.inference.Detection;
import io.stopsign.judge.TrackedBox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --accuracy} runs on the labelled frames; its scoring counts what it says. */
class AccuracyBenchTest {

  @Test
  @DisplayName("bench --accuracy prints P/R by size band, ID switches and ms/frame per config")
  void runsOnTwoLabelledFrames() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Benchmark.run(
            new String[] {"--accuracy", "--models", "fastestdet", "--frames", "2"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed)
        .containsPattern(
            "fastestdet.onnx +default( +(NaN|[0-9.]+)/(NaN|[0-9.]+)){4}( +(NaN|[0-9.]+)){3}")
        .containsPattern("fastestdet.onnx +whole ")
        .containsPattern("fastestdet.onnx +tiles ")
        .containsPattern("labels <40 [0-9]+, 40-100 [0-9]+, >100 [1-9][0-9]*;");
  }

  @Test
  @DisplayName("--detections writes each clip's detections once and a later run scores from them")
  void detectionCache(@TempDir Path cache) throws Exception {
    String[] args = {
      "--accuracy",
      "--models",
      "fastestdet",
      "--configs",
      "whole",
      "--frames",
      "2",
      "--detections",
      cache.toString()
    };
    String detected = accuracy(args);
    List<Path> files;
    try (Stream<Path> list = Files.list(cache)) {
      files = list.toList();
    }
    assertThat(files)
        .hasSize(2)
        .allMatch(f -> f.getFileName().toString().startsWith("fastestdet-none-"));
    Files.setLastModifiedTime(files.get(0), FileTime.fromMillis(0));
    // the same figures, ms/frame included (it is stored); the file is read, not written again
    assertThat(accuracy(args)).isEqualTo(detected);
    assertThat(Files.getLastModifiedTime(files.get(0)).toMillis()).isZero();
  }

  private static String accuracy(String[] args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Benchmark.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("unknown models, configs and labels files are refused with exit code 2")
  void badOptions() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(Benchmark.run(new String[] {"--accuracy", "--models", "yolo9"}, System.out, e))
        .isEqualTo(2);
    assertThat(Benchmark.run(new String[] {"--accuracy", "--configs", "fast"}, System.out, e))
        .isEqualTo(2);
    assertThat(Benchmark.run(new String[] {"--accuracy", "--labels", "nope.json"}, System.out, e))
        .isEqualTo(2);
    assertThat(Benchmark.run(new String[] {"--accuracy", "--regions", "0,0,2,1"}, System.out, e))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown model yolo9")
        .contains("unknown config fast")
        .contains("labels not found")
        .contains("--regions takes");
  }

  @Test
  @DisplayName("precision counts detections by their height, recall labels by theirs, at IoU 0.5")
  void detectionScore() {
    AccuracyScore score = new AccuracyScore();
    List<AccuracyLabels.Box> truth =
        List.of(box(1, 0, 0, 50, 30), box(2, 100, 100, 300, 250), box(3, 400, 0, 430, 20));
    score.detections(
        truth, List.of(det(2, 2, 50, 31), det(105, 100, 300, 255), det(600, 600, 700, 700)));
    assertThat(score.recall(AccuracyScore.Band.SMALL)).isEqualTo(0.5);
    assertThat(score.recall(AccuracyScore.Band.LARGE)).isEqualTo(1.0);
    assertThat(score.precision(AccuracyScore.Band.LARGE)).isEqualTo(0.5);
    assertThat(score.recall(AccuracyScore.Band.AT_LEAST_24)).isEqualTo(1.0);
    assertThat(score.labels(AccuracyScore.Band.SMALL)).isEqualTo(2);
  }

  @Test
  @DisplayName("a vehicle whose track id changes is a switch; lost then found again is a fragment")
  void trackingScore() {
    AccuracyScore score = new AccuracyScore();
    List<AccuracyLabels.Box> car = List.of(box(7, 100, 100, 200, 180));
    score.tracks("c", car, List.of(track(1, 100, 100, 200, 180)), 0.5);
    score.tracks("c", car, List.of(track(1, 102, 100, 202, 180)), 0.5);
    score.tracks("c", car, List.of(), 0.5);
    score.tracks("c", car, List.of(track(1, 104, 100, 204, 180)), 0.5);
    score.tracks("c", car, List.of(track(2, 104, 100, 204, 180)), 0.5);
    assertThat(score.switches()).isEqualTo(1);
    assertThat(score.fragmentations()).isEqualTo(1);
    assertThat(score.trackSeconds()).isEqualTo(2.5);
    assertThat(score.switchesPer100s()).isEqualTo(40.0);
  }

  private static AccuracyLabels.Box box(int id, float x1, float y1, float x2, float y2) {
    return new AccuracyLabels.Box(id, "car", x1, y1, x2, y2);
  }

  private static Detection det(float x1, float y1, float x2, float y2) {
    return new Detection(2, "car", 0.8f, x1, y1, x2, y2);
  }

  private static TrackedBox track(long id, float x1, float y1, float x2, float y2) {
    return new TrackedBox(id, "car", 0.8f, x1, y1, x2, y2);
  }
}
