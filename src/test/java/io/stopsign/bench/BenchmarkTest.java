package io.stopsign.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A smoke of {@code bench} with tiny sizes: every figure runs on the real pipeline and prints its
 * line; the figures themselves are judged by people on a quiet machine, not here.
 */
class BenchmarkTest {

  @Test
  @DisplayName("bench prints P1-P7, each line from its name to its target, with spread and load")
  void printsEveryFigure() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Benchmark.run(
            new String[] {
              "--clip", Fixtures.path("media/road-cars-720p30.mp4").toString(),
              "--model", Fixtures.path("models/fastestdet.onnx").toString(),
              "--family", "fastestdet",
              "--frames", "20",
              "--runs", "1",
              "--seconds", "2",
              "--clients", "20",
              "--ws-seconds", "1",
              "--soak", "0.05",
              "--inserts", "1000",
              "--max-cameras", "2"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.print(printed); // the smoke's figures in the CI log, for people to read
    assertThat(code).as(err.toString(StandardCharsets.UTF_8) + printed).isZero();
    assertThat(printed)
        .contains("P1, P3 and P7 with detect_regions auto")
        .containsPattern("decode +[0-9.]+ fps +[0-9.]+ CPU ms/frame")
        .containsPattern(
            "(?m)^P1 pipeline / min\\(decode, inference\\) = [0-9.]+ .*target >= 0.95$")
        .containsPattern("(?m)^P2 .*p50 minus inference p50.* target <= 15 ms$")
        .containsPattern("(?m)^P2 .*p99 / inference p99 = [0-9.]+ .*target <= 2x$")
        .containsPattern(
            "(?m)^P3 ffmpeg CLI / in-process decode, CPU per frame = [0-9.]+ .*target >= 0.9$")
        .containsPattern("(?m)^P4 20 clients \\+ 1 stalled: delivery p99 .*target < 100 ms$")
        .containsPattern("(?m)^P4 .*lost by reading clients = 0 .*")
        .containsPattern("(?m)^P5 writer rows/s = .*target >= 50,000 rows/s.*$")
        .containsPattern("(?m)^P6 memory change .*target within 5%$")
        .containsPattern(
            "(?m)^P7 5-fps cameras per box, each analysed at >= 0.95 of its frames = [0-9]+ .*"
                + "target the count to report \\(>= 1\\)$")
        .containsPattern("\\[(quiet|BUSY [^]]*)\\]")
        .contains("median of 1, spread");
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
    assertThat(Benchmark.run(new String[] {"--only", "P9"}, System.out, errStream)).isEqualTo(2);
    assertThat(Benchmark.run(new String[] {"--soak", "-1"}, System.out, errStream)).isEqualTo(2);
    assertThat(Benchmark.run(new String[] {"--regions", "all"}, System.out, errStream))
        .isEqualTo(2);
    assertThat(Benchmark.run(new String[] {"--hand-off", "oldest"}, System.out, errStream))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--frames needs a positive number")
        .contains("clip not found")
        .contains("--only takes figures among")
        .contains("--regions takes auto or none")
        .contains("--hand-off takes wait or newest, got oldest");
  }
}
