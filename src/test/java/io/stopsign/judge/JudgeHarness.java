package io.stopsign.judge;

import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.Sample;
import io.stopsign.camera.Thresholds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Drives a real {@link CameraJudge} frame by frame with simulated tracks, as the tracker would. */
final class JudgeHarness {
  /** The test scene: a road going down the image through a 200x100 px zone. */
  static final List<double[]> ZONE =
      List.of(
          new double[] {540, 400},
          new double[] {740, 400},
          new double[] {740, 500},
          new double[] {540, 500});

  static final List<double[]> GATE = List.of(new double[] {540, 350}, new double[] {740, 350});
  static final List<double[]> CAPTURE = List.of(new double[] {540, 450}, new double[] {740, 450});

  static JudgeConfig scene() {
    return new JudgeConfig(ZONE, GATE, CAPTURE);
  }

  static JudgeConfig scene(Thresholds thresholds) {
    return new JudgeConfig(ZONE, GATE, CAPTURE, null, thresholds);
  }

  /** Path position of image row {@code y} for a vehicle started at row 100 heading down. */
  static double y(double row) {
    return row - 100;
  }

  /** Result of a live run: the passes per track id, and every frame's step. */
  record Run(Map<Long, List<CameraJudge.CompletedPass>> passes, long frames) {
    List<CameraJudge.CompletedPass> of(long track) {
      return passes.getOrDefault(track, List.of());
    }
  }

  /**
   * Feeds the tracks (id -> samples) to a judge in time order, one frame per distinct time; each
   * track is reported ended one second after its last sample.
   */
  static Run live(CameraJudge judge, Map<Long, List<Sample>> tracks) {
    TreeMap<Double, Map<Long, Sample>> frames = new TreeMap<>();
    Map<Double, List<Long>> endings = new HashMap<>();
    tracks.forEach(
        (id, samples) -> {
          samples.forEach(
              s -> frames.computeIfAbsent(s.t(), k -> new LinkedHashMap<>()).put(id, s));
          double end = samples.get(samples.size() - 1).t() + 1.0;
          frames.computeIfAbsent(end, k -> new LinkedHashMap<>());
          endings.computeIfAbsent(end, k -> new ArrayList<>()).add(id);
        });
    Map<Long, List<CameraJudge.CompletedPass>> passes = new HashMap<>();
    long frame = 0;
    for (Map.Entry<Double, Map<Long, Sample>> f : frames.entrySet()) {
      List<TrackedBox> boxes = new ArrayList<>();
      f.getValue()
          .forEach(
              (id, s) ->
                  boxes.add(
                      new TrackedBox(
                          id,
                          "car",
                          0.9f,
                          (float) s.x1(),
                          (float) s.y1(),
                          (float) s.x2(),
                          (float) s.y2())));
      CameraJudge.Step step =
          judge.observe(frame++, f.getKey(), boxes, endings.getOrDefault(f.getKey(), List.of()));
      step.passes()
          .forEach(p -> passes.computeIfAbsent(p.pass().trackId(), k -> new ArrayList<>()).add(p));
    }
    judge
        .finishAll()
        .forEach(p -> passes.computeIfAbsent(p.pass().trackId(), k -> new ArrayList<>()).add(p));
    return new Run(passes, frame);
  }

  static Run live(JudgeConfig config, List<Sample> samples) {
    return live(
        new CameraJudge("cam1", "00000000-0000-0000-0000-000000000001", config),
        Map.of(1L, samples));
  }

  private JudgeHarness() {}
}
