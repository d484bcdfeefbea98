package io.stopsign.tracking;

import static io.stopsign.tracking.Traffic.car;
import static io.stopsign.tracking.Traffic.nearest;
import static io.stopsign.tracking.Traffic.tracker;
import static io.stopsign.tracking.Traffic.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stopsign.inference.Detection;
import io.stopsign.judge.TrackedBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Cars the {@link ByteTracker} loses sight of behind something, and finds again. */
class ByteTrackerOcclusionTest {
  private static final TrackerConfig CENTERNET = TrackerConfig.forFamily("centernet");

  @Test
  @DisplayName("A car hidden for 0.5 s gets its id back where it reappears")
  void shortOcclusion() {
    ByteTracker tracker = new ByteTracker(TrackerConfig.DEFAULTS);
    List<Long> ended = new ArrayList<>();
    for (int f = 0; f < 45; f++) {
      List<Detection> seen = f < 30 ? List.of(car(100 + 5 * f, 400, 120, 80, 0.9)) : List.of();
      ByteTracker.Update u = tracker.update(ts(f), seen);
      ended.addAll(u.ended());
      if (f >= 30) {
        assertThat(u.tracks()).as("nothing reported while hidden").isEmpty();
      }
    }
    List<TrackedBox> back = tracker.update(ts(45), List.of(car(325, 400, 120, 80, 0.9))).tracks();
    assertThat(back).extracting(TrackedBox::id).containsExactly(1L);
    assertThat(ended).isEmpty();
  }

  @Test
  @DisplayName(
      "A car behind a post for 0.4 s, seen again narrower (cut by the post), keeps its id; a car"
          + " that enters at the same time elsewhere gets its own")
  void occlusionBehindAPost() {
    ByteTracker t = new ByteTracker(CENTERNET);
    long id = 0;
    for (int f = 0; f < 40; f++) {
      double cx = 400 - 7 * f; // a 36 px tall car driving left, hidden at frames 20-31
      List<Detection> seen = new ArrayList<>();
      if (f < 20) {
        seen.add(car(cx, 120 + 0.5 * f, 54, 36, 0.45));
      } else if (f >= 32) {
        // half of it still behind the post: the box is its front (left) half
        seen.add(car(cx - (f < 35 ? 14 : 0), 120 + 0.5 * f, f < 35 ? 26 : 54, 36, 0.4));
      }
      if (f >= 30) {
        seen.add(car(900, 400 - 4 * (f - 30), 70, 50, 0.45)); // another car
      }
      List<TrackedBox> tracks = t.update(ts(f), seen).tracks();
      if (f == 10) {
        id = nearest(tracks, cx, 125).id();
      }
      if (f >= 33) {
        assertThat(nearest(tracks, cx, 120 + 0.5 * f).id()).as("frame %d", f).isEqualTo(id);
        assertThat(nearest(tracks, 900, 400 - 4 * (f - 30)).id()).isNotEqualTo(id);
      }
    }
  }

  @Test
  @DisplayName(
      "A car whose front a post cuts, seen again beyond it ~1.3 box heights ahead of the lagging"
          + " prediction, keeps its id within cut_reach times the width it lost, not without it")
  void cutByAPostReachesAhead() {
    assertThat(afterPost(CENTERNET, 0)).containsExactly(1L);
    assertThat(afterPost(tracker("centernet", Map.of("cut_reach", 0)), 0)).containsExactly(2L);
    // a wider recovery gate alone does not reach it either
    TrackerConfig wideRecovery =
        tracker(
            "centernet",
            Map.of("cut_reach", 0, "recover_distance", 1.0, "recover_size_ratio", 1.5));
    assertThat(afterPost(wideRecovery, 0)).containsExactly(2L);
  }

  @Test
  @DisplayName(
      "The cut reach never lets a box far ahead of it, or behind the motion, take the cut track's"
          + " id")
  void cutReachIsBounded() {
    // 2 box heights further ahead than the front really reappears: beyond the reach and the gate
    assertThat(afterPost(CENTERNET, -72)).containsExactly(2L);
    // the same distance behind the lagging prediction as the real front is ahead of it
    assertThat(afterPost(CENTERNET, 96)).containsExactly(2L);
  }

  @Test
  @DisplayName(
      "The cut width is what a box lost against the widest of its height in the last second; a"
          + " car driving away (narrower and lower alike) is not cut")
  void cutWidth() {
    Track cut = new Track(car(300, 200, 72, 36, 0.9), ts(0), Traffic.FPS);
    cut.update(car(310, 200, 52, 36, 0.9), ts(1));
    assertThat(cut.cutWidth()).isCloseTo(20, within(1e-3));
    Track away = new Track(car(300, 200, 72, 36, 0.9), ts(0), Traffic.FPS);
    away.update(car(300, 190, 48, 24, 0.9), ts(1));
    assertThat(away.cutWidth()).isZero();
    Track old = new Track(car(300, 200, 72, 36, 0.9), ts(0), Traffic.FPS);
    old.update(car(300, 200, 52, 36, 0.9), ts(45));
    assertThat(old.cutWidth()).as("the wide box is 1.5 s old").isZero();
  }

  /**
   * A 36 px tall, 72 px wide car driving left at 8 px a frame (CenterNet-like 0.45 scores) behind a
   * 30 px post at x 200-230: its box is the part right of the post while that is at least 30 px
   * wide, then nothing, then the part left of the post (moved {@code shift} px), then the whole car
   * again: the ids reported at the end.
   */
  private static List<Long> afterPost(TrackerConfig config, double shift) {
    ByteTracker t = new ByteTracker(config);
    List<TrackedBox> last = List.of();
    boolean reappeared = false;
    for (int f = 0; f < 50; f++) {
      double cx = 500 - 8 * f;
      double cy = 200 + 0.5 * f;
      double front = cx - 36;
      double rear = cx + 36;
      List<Detection> seen = new ArrayList<>();
      if (rear <= 200 || front >= 230) {
        seen.add(car(cx + (reappeared ? shift : 0), cy, 72, 36, 0.45));
      } else if (rear - 230 >= 30) {
        seen.add(car((230 + rear) / 2, cy, rear - 230, 36, 0.45));
      } else if (200 - front >= 30) {
        reappeared = true;
        seen.add(car((front + 200) / 2 + shift, cy, 200 - front, 36, 0.45));
      }
      last = t.update(ts(f), seen).tracks();
    }
    return last.stream().map(TrackedBox::id).toList();
  }
}
