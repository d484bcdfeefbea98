package io.stopsign.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.inference.Boxes;
import io.stopsign.inference.Detections;
import io.stopsign.judge.TrackedBox;
import io.stopsign.testing.RoadClip;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tracking real detections of real footage")
class RealTrafficReplayTest {
  private static final int FRAMES = 90;
  private static List<Detections> detections;

  /** FastestDet (the model for tests where inference is not under test) on 3 s of the road clip. */
  @BeforeAll
  static void detect() throws Exception {
    detections = RoadClip.detections("models/fastestdet.onnx", "fastestdet", FRAMES);
    assertThat(detections).as("frames the clip delivered").hasSize(FRAMES);
  }

  @Test
  @DisplayName("FastestDet detections of 3 s of road footage give long, consistent tracks")
  void longConsistentTracks() {
    List<TrackerReplay.Step> steps = TrackerReplay.replay(detections, TrackerConfig.DEFAULTS);
    Map<Long, Integer> framesPerId = new TreeMap<>();
    Map<Long, TrackedBox> lastBox = new TreeMap<>();
    Map<Long, Long> lastSeq = new TreeMap<>();
    int detectionCount = 0;
    int consecutivePairs = 0;
    for (TrackerReplay.Step s : steps) {
      detectionCount += s.frame().items().size();
      List<TrackedBox> tracks = s.update().tracks();
      for (int i = 0; i < tracks.size(); i++) {
        TrackedBox t = tracks.get(i);
        framesPerId.merge(t.id(), 1, Integer::sum);
        TrackedBox before = lastBox.put(t.id(), t);
        if (before != null && s.frame().seq() - lastSeq.get(t.id()) == 1) {
          // An id handed to another vehicle shows as a box that no longer overlaps its last one.
          assertThat(iou(before, t))
              .as("track %d from frame %d to the next", t.id(), s.frame().seq() - 1)
              .isGreaterThanOrEqualTo(0.3f);
          consecutivePairs++;
        }
        lastSeq.put(t.id(), s.frame().seq());
        for (int j = i + 1; j < tracks.size(); j++) {
          assertThat(iou(t, tracks.get(j)))
              .as("tracks %d and %d are one vehicle", t.id(), tracks.get(j).id())
              .isLessThan(0.7f);
        }
      }
    }
    long longTracks = framesPerId.values().stream().filter(n -> n >= 60).count();
    double framesPerTrack =
        framesPerId.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    System.out.printf(
        "road clip, %d frames, %d detections: %d ids, %d of them >= 2 s, %.1f frames per id%n",
        steps.size(), detectionCount, framesPerId.size(), longTracks, framesPerTrack);
    assertThat(steps).hasSize(FRAMES);
    assertThat(consecutivePairs).isGreaterThan(500);
    assertThat(longTracks).as("tracks followed for 2 of the 3 s").isGreaterThanOrEqualTo(3);
    assertThat(framesPerTrack).as("mean frames per id (fragmentation)").isGreaterThanOrEqualTo(20);
  }

  private static float iou(TrackedBox a, TrackedBox b) {
    return Boxes.iou(a.x1(), a.y1(), a.x2(), a.y2(), b.x1(), b.y1(), b.x2(), b.y2());
  }
}
