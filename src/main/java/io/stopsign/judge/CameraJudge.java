package io.stopsign.judge;

import io.stopsign.tracking.TrackState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-camera kinematics and stop-sign judgment, fed one frame of tracks at a time in frame order by
 * the tracking verticle. Not thread-safe: one instance per camera, on one thread.
 */
public final class CameraJudge {
  private final JudgeConfig config;
  private final Map<Long, double[]> last = new HashMap<>();

  public CameraJudge(String camera, String runId, JudgeConfig config) {
    this.config = config;
  }

  /** What the judge says about one frame: each track's state, and passes that just completed. */
  public record Step(List<TrackState> tracks) {}

  /** Feeds one frame; {@code ended} are track ids the tracker has dropped for good. */
  public Step observe(long frame, double tsUtc, List<TrackedBox> boxes, List<Long> ended) {
    List<TrackState> states = new ArrayList<>();
    for (TrackedBox b : boxes) {
      double[] prev = last.put(b.id(), new double[] {tsUtc, b.centerX(), b.groundY()});
      double speed = 0;
      double direction = 0;
      if (prev != null && tsUtc > prev[0]) {
        double dx = b.centerX() - prev[1];
        double dy = b.groundY() - prev[2];
        speed = Math.hypot(dx, dy) / (tsUtc - prev[0]);
        direction = Math.atan2(dy, dx);
      }
      states.add(
          new TrackState(
              b.id(), b.cls(), b.score(), b.x1(), b.y1(), b.x2(), b.y2(), speed, direction, false, false));
    }
    ended.forEach(last::remove);
    return new Step(states);
  }

  public JudgeConfig config() {
    return config;
  }

  public String speedUnit() {
    return "px/s";
  }
}
