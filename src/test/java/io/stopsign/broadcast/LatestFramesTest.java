package io.stopsign.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LatestFramesTest {

  @Test
  @DisplayName("reordered frames of one run: only later frames go out")
  void withinRun() {
    LatestFrames latest = new LatestFrames();
    assertThat(latest.admit("cam1", "r1", 10, 100.0)).isTrue();
    assertThat(latest.admit("cam1", "r1", 9, 99.9)).isFalse();
    assertThat(latest.admit("cam1", "r1", 10, 100.0)).as("a duplicate").isFalse();
    assertThat(latest.admit("cam1", "r1", 11, 100.1)).isTrue();
    assertThat(latest.admit("cam2", "r9", 1, 50.0)).as("cameras are independent").isTrue();
  }

  @Test
  @DisplayName(
      "two analyzers briefly decoding one camera while its lease moves: the browser sees capture"
          + " time only move forward, then the new run alone")
  void leaseOverlap() {
    LatestFrames latest = new LatestFrames();
    List<Double> sent = new ArrayList<>();
    // old holder (run A) and new holder (run B, a little behind at first) interleave on the bus
    double[][] frames = {{1, 10.00}, {1, 10.03}, {2, 9.98}, {1, 10.06}, {2, 10.05}, {2, 10.08}};
    long[] seq = {0, 0, 0};
    for (double[] f : frames) {
      int run = (int) f[0];
      if (latest.admit("cam1", run == 1 ? "A" : "B", ++seq[run], f[1])) {
        sent.add(f[1]);
      }
    }
    assertThat(sent).isSorted().containsExactly(10.00, 10.03, 10.06, 10.08);
    assertThat(latest.admit("cam1", "A", 99, 10.07)).as("old run after the new one won").isFalse();
  }
}
