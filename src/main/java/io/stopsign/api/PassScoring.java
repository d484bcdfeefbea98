package io.stopsign.api;

import io.stopsign.camera.GroundCalibration;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.judge.SpeedTrace;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the pass page draws beside a pass: its camera's geometry and thresholds as they are now (the
 * zone editor's over the config file's), and the speed the judge measured at each sample of the
 * kept trajectory.
 */
final class PassScoring {
  private PassScoring() {}

  /**
   * The {@code scoring} object of a pass, or null when its camera is no longer configured ({@code
   * judge} null). CPU: call it off the event loop.
   */
  static JsonObject of(JudgeConfig judge, Object trajectory) {
    if (judge == null) {
      return null;
    }
    JudgeGeometry geometry = JudgeGeometry.of(judge);
    JsonObject out =
        new JsonObject()
            .put("stop_zone", GroundCalibration.points(judge.stopZone()))
            .put("pre_stop_line", GroundCalibration.points(judge.preStopLine()))
            .put("capture_line", GroundCalibration.points(judge.captureLine()))
            .put("speed_unit", geometry.thresholds().speedUnit())
            .put("thresholds", geometry.thresholds().toJson());
    try {
      List<Sample> samples = trajectory instanceof JsonArray a ? Sample.listFromJson(a) : List.of();
      out.put("speeds", SpeedTrace.of(geometry, samples)).put("speeds_error", null);
    } catch (IllegalArgumentException e) {
      // A stored trajectory that cannot be replayed still shows; the page says why it has no chart.
      out.put("speeds", new JsonArray()).put("speeds_error", e.getMessage());
    }
    return out;
  }
}
