package io.stopsign.api;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each camera's geometry as it is now: the zone editor's, stored in {@code camera_geometry}, over
 * the config file's (the one source of truth once a camera has a row), with the file's thresholds.
 * Read from the database at each use, so every web node answers the same after a save anywhere.
 */
final class CameraGeometries {
  private static final Logger LOG = LoggerFactory.getLogger(CameraGeometries.class);

  /** A stored geometry: zone, lines and calibration with the unit's reference thresholds. */
  record Stored(JudgeConfig geometry, JsonObject json, long version, OffsetDateTime updated) {}

  private final Pool pool;
  private final Map<String, CameraConfig> cameras = new LinkedHashMap<>();

  CameraGeometries(Pool pool, List<CameraConfig> configured) {
    this.pool = pool;
    configured.forEach(c -> cameras.put(c.id(), c));
  }

  /** The configured camera, or null. */
  CameraConfig configured(String camera) {
    return cameras.get(camera);
  }

  List<CameraConfig> configured() {
    return List.copyOf(cameras.values());
  }

  /** Every stored geometry by camera (rows that no longer load are left out, with a warning). */
  Future<Map<String, Stored>> stored() {
    return pool.query("SELECT camera, geometry, version, updated_utc FROM camera_geometry")
        .execute()
        .map(
            rows -> {
              Map<String, Stored> out = new HashMap<>();
              rows.forEach(row -> put(out, row));
              return out;
            });
  }

  /**
   * One camera's stored geometry, or null; {@code lock} holds its row until the transaction ends.
   */
  static Future<Stored> stored(SqlClient client, String camera, boolean lock) {
    return client
        .preparedQuery(
            "SELECT camera, geometry, version, updated_utc FROM camera_geometry WHERE camera = $1"
                + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(camera))
        .map(
            rows -> {
              Map<String, Stored> out = new HashMap<>();
              rows.forEach(row -> put(out, row));
              return out.get(camera);
            });
  }

  /** The camera's judge config now; null when it is not configured. */
  Future<JudgeConfig> current(String camera) {
    CameraConfig config = cameras.get(camera);
    if (config == null) {
      return Future.succeededFuture(null);
    }
    return stored(pool, camera, false).map(s -> effective(config, s));
  }

  /** The file's thresholds over the stored geometry, or the file's config when none is stored. */
  static JudgeConfig effective(CameraConfig camera, Stored stored) {
    return stored == null ? camera.judge() : camera.judge().withStoredGeometry(stored.geometry());
  }

  private static void put(Map<String, Stored> out, Row row) {
    String camera = row.getString("camera");
    Object value = row.getValue("geometry");
    try {
      JsonObject json = (JsonObject) value;
      out.put(
          camera,
          new Stored(
              JudgeConfig.geometryFromJson(json),
              json,
              row.getLong("version"),
              row.getOffsetDateTime("updated_utc")));
    } catch (ConfigException | ClassCastException e) {
      LOG.warn("camera {}: the stored geometry does not load, the config file's applies", camera);
    }
  }
}
