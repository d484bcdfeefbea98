package io.stopsign.judge;

import static io.stopsign.judge.JudgeHarness.y;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Zone entries and exits the judge reports for the events table")
class ZoneEventsTest {
  private static final String RUN = "00000000-0000-0000-0000-000000000001";

  /** Feeds one track's samples, ends it one second later, and collects every zone change. */
  private static List<CameraJudge.ZoneChange> changes(List<Sample> samples, boolean ended) {
    CameraJudge judge = new CameraJudge("cam1", RUN, JudgeHarness.scene());
    List<CameraJudge.ZoneChange> out = new ArrayList<>();
    long frame = 0;
    for (Sample s : samples) {
      out.addAll(judge.observe(frame++, s.t(), List.of(box(s)), List.of()).zone());
    }
    double last = samples.get(samples.size() - 1).t();
    out.addAll(judge.observe(frame, last + 1, List.of(), ended ? List.of(1L) : List.of()).zone());
    judge.finishAll();
    out.addAll(judge.takeZoneChanges());
    return out;
  }

  private static TrackedBox box(Sample s) {
    return new TrackedBox(
        1, "car", 0.9f, (float) s.x1(), (float) s.y1(), (float) s.x2(), (float) s.y2());
  }

  private static List<String> kinds(List<CameraJudge.ZoneChange> changes) {
    return changes.stream().map(c -> c.kind() + ":" + c.how() + ":" + c.trackId()).toList();
  }

  /** Capture time of the first sample, at or after {@code from}, inside (or outside) the zone. */
  private static double first(List<Sample> samples, double from, boolean inside) {
    JudgeGeometry geometry = JudgeGeometry.of(JudgeHarness.scene());
    return samples.stream()
        .filter(s -> s.t() >= from && geometry.inZone(s) == inside)
        .findFirst()
        .orElseThrow()
        .t();
  }

  @Test
  @DisplayName("A full stop is one entry and one exit, at the first sample inside and outside")
  void fullStop() {
    List<Sample> samples = ScenarioTest.fullStop().samples();
    List<CameraJudge.ZoneChange> changes = changes(samples, true);
    assertThat(kinds(changes)).containsExactly("zone_entry:debounced:1", "zone_exit:debounced:1");
    double entry = first(samples, 0, true);
    assertThat(changes.get(0).tsUtc()).isEqualTo(entry);
    assertThat(changes.get(1).tsUtc()).isEqualTo(first(samples, entry, false));
  }

  @Test
  @DisplayName("A crossing between two observations (5 fps, 600 px/s) is an entry and an exit")
  void quickCrossing() {
    List<Sample> samples = new ArrayList<>();
    double[] rows = {100, 220, 340, 580, 700, 820}; // before the zone, then beyond it
    for (int i = 0; i < rows.length; i++) {
      samples.add(new Sample(TrajectorySimulator.T0 + 0.2 * i, 580, rows[i] - 90, 700, rows[i]));
    }
    List<CameraJudge.ZoneChange> changes = changes(samples, true);
    assertThat(kinds(changes)).containsExactly("zone_entry:crossing:1", "zone_exit:crossing:1");
    // the zone jumped between two frames: both are told at the first frame beyond it
    assertThat(changes.get(0).tsUtc()).isEqualTo(changes.get(1).tsUtc());
    assertThat(changes.get(0).tsUtc()).isEqualTo(samples.get(3).t());
  }

  @Test
  @DisplayName("A track lost inside the zone exits as track_ended, also at the end of a session")
  void lostInside() {
    List<Sample> samples = TrajectorySimulator.down(640, 100).cruise(150, y(450)).samples();
    double last = samples.get(samples.size() - 1).t();
    assertThat(kinds(changes(samples, true)))
        .containsExactly("zone_entry:debounced:1", "zone_exit:track_ended:1");
    List<CameraJudge.ZoneChange> atSessionEnd = changes(samples, false);
    assertThat(kinds(atSessionEnd))
        .containsExactly("zone_entry:debounced:1", "zone_exit:track_ended:1");
    assertThat(atSessionEnd.get(1).tsUtc()).isEqualTo(last);
  }

  @Test
  @DisplayName("A box flickering across the zone edge for minutes is told at most 16 times")
  void flickerBounded() {
    List<Sample> samples = new ArrayList<>();
    // the bottom edge in and out of the zone every 2 s, past any debounce, for 5 minutes
    for (int i = 0; i < 300 * 10; i++) {
      double row = (i / 20) % 2 == 0 ? 390 : 420;
      samples.add(new Sample(TrajectorySimulator.T0 + 0.1 * i, 580, row - 90, 700, row));
    }
    List<CameraJudge.ZoneChange> changes = changes(samples, true);
    assertThat(changes).hasSize(CameraJudge.MAX_ZONE_CHANGES_PER_TRACK);
    assertThat(kinds(changes).subList(0, 2))
        .containsExactly("zone_entry:debounced:1", "zone_exit:debounced:1");
  }
}
