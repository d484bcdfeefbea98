package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;

/**
 * {@code cameras[i]}: one camera's source and its stop-sign geometry.
 *
 * @param source RTSP/HTTP URL, a local file, or {@code testpattern}
 * @param loop replay a local file forever
 * @param detect where the detector looks closer besides the whole picture (tiles)
 */
public record CameraConfig(
    String id, String source, boolean loop, JudgeConfig judge, DetectRegions detect) {

  public CameraConfig(String id, String source, boolean loop, JudgeConfig judge) {
    this(id, source, loop, judge, DetectRegions.NONE);
  }

  public static CameraConfig from(ConfigReader r) {
    String id = r.string("id", "");
    if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new ConfigException(r.key("id"), id, "must be 1-64 letters, digits, '_' or '-'");
    }
    String source = r.string("source", "");
    if (source.isBlank()) {
      throw new ConfigException(
          r.key("source"), source, "must be a URL, a file path or testpattern");
    }
    boolean loop = r.bool("loop", false);
    DetectRegions detect = DetectRegions.from(r);
    JudgeConfig judge = JudgeConfig.from(r);
    r.done();
    return new CameraConfig(id, source, loop, judge, detect);
  }
}
