package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A camera's stop-sign geometry in raw camera pixels and its judgment thresholds. Read from the
 * camera's own section (keys {@code stop_zone}, {@code pre_stop_line}, {@code capture_line}, {@code
 * calibration}, {@code thresholds}); the same keys in JSON travel on {@code
 * Addresses.cameraConfig(camera)} when a zone or threshold is changed at run time.
 *
 * @param calibration ground calibration, or null: speeds are then in px/s
 */
public record JudgeConfig(
    List<double[]> stopZone,
    List<double[]> preStopLine,
    List<double[]> captureLine,
    GroundCalibration calibration,
    Thresholds thresholds) {

  public JudgeConfig {
    stopZone = List.copyOf(stopZone);
    preStopLine = List.copyOf(preStopLine);
    captureLine = List.copyOf(captureLine);
    String unit = calibration == null ? Thresholds.PX : Thresholds.MPS;
    if (thresholds == null) {
      thresholds = Thresholds.defaults(unit);
    } else if (!thresholds.speedUnit().equals(unit)) {
      throw new ConfigException(
          "thresholds.speed_unit", thresholds.speedUnit(), "this camera measures " + unit);
    }
  }

  /** Geometry alone: no calibration, reference thresholds in px/s. */
  public JudgeConfig(
      List<double[]> stopZone, List<double[]> preStopLine, List<double[]> captureLine) {
    this(stopZone, preStopLine, captureLine, null, null);
  }

  /** {@code px/s}, or {@code m/s} with a ground calibration. */
  public String speedUnit() {
    return thresholds.speedUnit();
  }

  /** Reads and validates the judge keys of a camera section (the caller calls done()). */
  public static JudgeConfig from(ConfigReader camera) {
    List<double[]> zone = points(camera, "stop_zone", 3);
    List<double[]> gate = points(camera, "pre_stop_line", 2);
    List<double[]> capture = points(camera, "capture_line", 2);
    GroundCalibration calibration = null;
    if (camera.has("calibration")) {
      ConfigReader c = camera.section("calibration");
      calibration =
          GroundCalibration.of(
              c.points("image", 4), c.points("world", 4), camera.key("calibration"));
      c.done();
    } else {
      camera.raw("calibration");
    }
    Thresholds thresholds =
        Thresholds.from(
            camera.section("thresholds"), calibration == null ? Thresholds.PX : Thresholds.MPS);
    JudgeConfig config = new JudgeConfig(zone, gate, capture, calibration, thresholds);
    JudgeGeometry.of(config, camera.key(""));
    return config;
  }

  /** Points of a shape; absent or an empty list = none. */
  private static List<double[]> points(ConfigReader camera, String name, int min) {
    return camera.raw(name) instanceof List<?> l && l.isEmpty()
        ? List.of()
        : camera.points(name, min);
  }

  /** The same keys as the config file; thresholds carry their {@code speed_unit}. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("stop_zone", GroundCalibration.points(stopZone))
            .put("pre_stop_line", GroundCalibration.points(preStopLine))
            .put("capture_line", GroundCalibration.points(captureLine))
            .put("thresholds", thresholds.toJson());
    if (calibration != null) {
      json.put("calibration", calibration.toJson());
    }
    return json;
  }

  /** The zone, lines and calibration alone (null when none): the zone editor's JSON shape. */
  public JsonObject geometryJson() {
    JsonObject json = toJson();
    json.remove("thresholds");
    if (calibration == null) {
      json.putNull("calibration");
    }
    return json;
  }

  /**
   * These thresholds over {@code geometry}'s zone, lines and calibration (the zone editor's stored
   * geometry over the config file's). A calibration added or removed changes the speed unit: the
   * thresholds follow only when they are the reference defaults.
   *
   * @throws ConfigException when the thresholds are set in the other unit
   */
  public JudgeConfig withGeometry(JudgeConfig geometry) {
    String unit = geometry.speedUnit();
    Thresholds t = thresholds;
    if (!t.speedUnit().equals(unit)) {
      if (!t.equals(Thresholds.defaults(t.speedUnit()))) {
        throw new ConfigException(
            "calibration",
            geometry.calibration == null ? "none" : "4 image and world points",
            (geometry.calibration == null ? "without a calibration" : "with a calibration")
                + " speeds are in "
                + unit
                + ", but this camera's thresholds in the config file are set in "
                + t.speedUnit()
                + "; change the calibration and the thresholds together in the config file");
      }
      t = Thresholds.defaults(unit);
    }
    return new JudgeConfig(
        geometry.stopZone, geometry.preStopLine, geometry.captureLine, geometry.calibration, t);
  }

  /**
   * {@link #withGeometry}, or, when these thresholds cannot follow the geometry's unit, the
   * geometry with its unit's reference thresholds: a stored geometry always wins.
   */
  public JudgeConfig withStoredGeometry(JudgeConfig geometry) {
    try {
      return withGeometry(geometry);
    } catch (ConfigException e) {
      return geometry;
    }
  }

  /** Parses the zone editor's shape (no thresholds: the unit's reference ones). */
  public static JudgeConfig geometryFromJson(JsonObject json) {
    JsonObject copy = json.copy();
    if (copy.containsKey("calibration") && copy.getValue("calibration") == null) {
      copy.remove("calibration");
    }
    return fromJson(copy);
  }

  /**
   * Parses and validates {@link #toJson()}'s shape; unknown keys are refused.
   *
   * @throws ConfigException naming the key, the value and what is allowed
   */
  public static JudgeConfig fromJson(JsonObject json) {
    ConfigReader r = ConfigReader.of("", plain(json));
    JudgeConfig config = from(r);
    r.done();
    return config;
  }

  /** JsonObject/JsonArray to the Map/List tree that ConfigReader reads. */
  private static Object plain(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, Object> out = new LinkedHashMap<>();
      o.forEach(e -> out.put(e.getKey(), plain(e.getValue())));
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      return plain(new JsonObject(new LinkedHashMap<>(castMap(m))));
    }
    if (value instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      a.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      return plain(new JsonArray(new ArrayList<>(l)));
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
