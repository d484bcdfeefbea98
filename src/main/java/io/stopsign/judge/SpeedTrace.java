package io.stopsign.judge;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.vertx.core.json.JsonArray;
import java.util.List;

/**
 * The speed the judge saw at each sample of a trajectory, from the same kinematics as {@link
 * PassScorer}, so the pass page charts exactly what the verdict was measured on.
 */
public final class SpeedTrace {
  private SpeedTrace() {}

  /**
   * {@code [[t, speed, inZone], ...]} in the geometry's speed unit; speed is null where it is not
   * known yet (fewer than two samples in the window) or not finite.
   *
   * @throws IllegalArgumentException when times do not increase or a value is not finite
   */
  public static JsonArray of(JudgeGeometry geometry, List<Sample> samples) {
    TrackKinematics kinematics = new TrackKinematics(geometry.thresholds());
    JsonArray out = new JsonArray();
    double previous = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (!s.isFinite() || s.t() <= previous) {
        throw new IllegalArgumentException("sample " + i + " is not finite or out of order");
      }
      previous = s.t();
      kinematics.update(s.t(), s.groundX(), s.groundY(), geometry.ground(s));
      double speed = kinematics.speed();
      out.add(
          new JsonArray()
              .add(s.t())
              .add(i == 0 || !Double.isFinite(speed) ? null : speed)
              .add(geometry.hasZone() && geometry.inZone(s)));
    }
    return out;
  }
}
