package io.stopsign.tracking;

import static io.stopsign.tracking.Traffic.car;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.inference.Detection;
import io.stopsign.inference.Detections;
import io.stopsign.judge.TrackedBox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrackerReplayTest {

  @Test
  @DisplayName("Replay follows the verticle's rules: stale frames skipped, a new run restarts ids")
  void replaysInOrder() {
    List<Detections> frames = new ArrayList<>();
    for (int f = 0; f < 5; f++) {
      frames.add(frame("a", f, car(300 + f, 400, 120, 80, 0.9), car(800, 300, 90, 60, 0.9)));
    }
    frames.add(frame("a", 2, car(300, 400, 120, 80, 0.9)));
    for (int f = 0; f < 3; f++) {
      frames.add(frame("b", f, car(600, 500, 120, 80, 0.9)));
    }
    List<TrackerReplay.Step> steps = TrackerReplay.replay(frames, TrackerConfig.DEFAULTS);
    assertThat(steps)
        .extracting(s -> s.frame().runId() + ":" + s.frame().seq())
        .containsExactly("a:0", "a:1", "a:2", "a:3", "a:4", "b:0", "b:1", "b:2");
    assertThat(steps.get(4).update().tracks()).extracting(TrackedBox::id).containsExactly(1L, 2L);
    assertThat(steps.get(7).update().tracks()).extracting(TrackedBox::id).containsExactly(1L);
  }

  private static Detections frame(String run, long seq, Detection... items) {
    return new Detections(
        "cam1", run, seq, Traffic.ts((int) seq), 1280, 720, 352, 352, List.of(items), 0);
  }
}
