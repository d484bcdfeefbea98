package io.stopsign.api;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.judge.SpeedTrace;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pass page draws beside a pass: its camera's geometry and thresholds, and the speed the
 * judge measured at each sample of the kept trajectory.
 */
final class PassScoring {
  private final Map<String, CameraConfig> cameras = new LinkedHashMap<>();

  PassScoring(List<CameraConfig> configured) {
    configured.forEach(c -> cameras.put(c.id(), c));
  }

  /**
   * The {@code scoring} object of a pass, or null when its camera is no longer configured. CPU:
   * call it off the event loop.
   */
  JsonObject of(String camera, Object trajectory) {
    CameraConfig config = cameras.get(camera);
    if (config == null) {
      return null;
    }
    JudgeGeometry geometry = JudgeGeometry.of(config.judge());
    JsonObject geometryJson = CamerasHandler.camera(config, "");
    JsonObject out =
        new JsonObject()
            .put("stop_zone", geometryJson.getJsonArray("stop_zone"))
            .put("pre_stop_line", geometryJson.getJsonArray("pre_stop_line"))
            .put("capture_line", geometryJson.getJsonArray("capture_line"))
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
