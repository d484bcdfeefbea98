package io.stopsign.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmark runs and prints its figures; the figures themselves are judged by people, not here.
 */
class BenchmarkTest {

  @Test
  @DisplayName("bench prints decode, inference and pipeline fps with CPU per frame and the ratio")
  void printsFigures() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Benchmark.run(
            new String[] {
              "--clip",
              Fixtures.path("media/road-cars-720p30.mp4").toString(),
              "--model",
              Fixtures.path("models/fastestdet.onnx").toString(),
              "--family",
              "fastestdet",
              "--frames",
              "40"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed)
        .containsPattern("decode +[0-9.]+ fps +[0-9.]+ CPU ms/frame")
        .containsPattern("inference +[0-9.]+ fps")
        .containsPattern("pipeline +[0-9.]+ fps")
        .containsPattern("ratio pipeline / min\\(decode, inference\\) = [0-9.]+");
  }

  @Test
  @DisplayName("bad options are refused with exit code 2")
  void badOptions() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(Benchmark.run(new String[] {"--frames", "many"}, System.out, errStream))
        .isEqualTo(2);
    assertThat(Benchmark.run(new String[] {"--clip", "/nope.mp4"}, System.out, errStream))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--frames needs a number")
        .contains("clip not found");
  }
}
