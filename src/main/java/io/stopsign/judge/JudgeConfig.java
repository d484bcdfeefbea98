package io.stopsign.judge;

import io.stopsign.config.ConfigReader;
import java.util.List;

/**
 * A camera's stop-sign geometry, in raw camera pixels. Read from the camera's own section (keys
 * {@code stop_zone}, {@code pre_stop_line}, {@code capture_line}).
 */
public record JudgeConfig(List<double[]> stopZone, List<double[]> preStopLine, List<double[]> captureLine) {

  public static JudgeConfig from(ConfigReader camera) {
    return new JudgeConfig(
        camera.points("stop_zone", 3), camera.points("pre_stop_line", 2), camera.points("capture_line", 2));
  }
}
