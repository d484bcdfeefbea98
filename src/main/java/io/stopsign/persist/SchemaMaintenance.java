package io.stopsign.persist;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the database needs before and besides the writes: migrations, the partitions of today and
 * tomorrow, the configured cameras, and retention (detections partitions older than {@code
 * db.retention_days} are dropped; 0 keeps everything).
 */
final class SchemaMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMaintenance.class);

  /**
   * The file seeds a camera's row; afterwards only the source follows the file (the zone editor's
   * geometry lives in camera_geometry, see V3).
   */
  static final String SEED_CAMERAS_SQL =
      "INSERT INTO cameras (id, name, source, config)"
          + " SELECT id, id, source, config::jsonb FROM unnest($1::text[], $2::text[], $3::text[])"
          + " AS c(id, source, config)"
          + " ON CONFLICT (id) DO UPDATE SET source = EXCLUDED.source"
          + " WHERE cameras.source IS DISTINCT FROM EXCLUDED.source";

  private final Vertx vertx;
  private final Database database;
  private final Pool pool;
  private final Partitions partitions;
  private final List<CameraConfig> cameras;
  private final int retentionDays;
  private final Clock clock;

  SchemaMaintenance(
      Vertx vertx,
      Database database,
      Pool pool,
      Partitions partitions,
      List<CameraConfig> cameras,
      int retentionDays,
      Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.pool = pool;
    this.partitions = partitions;
    this.cameras = List.copyOf(cameras);
    this.retentionDays = retentionDays;
    this.clock = clock;
  }

  /** Migrates (Flyway, on a worker), then the daily work, then seeds the cameras. */
  Future<Void> prepare() {
    return vertx
        .executeBlocking(
            () -> {
              database.migrate();
              return null;
            })
        .compose(v -> daily())
        .compose(v -> seedCameras());
  }

  /** Partitions of today and tomorrow (UTC), then retention; a failed retention is only logged. */
  Future<Void> daily() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return partitions
        .ensure(List.of(today, today.plusDays(1)))
        .compose(
            v ->
                retentionDays == 0
                    ? Future.succeededFuture()
                    : partitions
                        .dropBefore(today.minusDays(retentionDays))
                        .<Void>mapEmpty()
                        .recover(
                            e -> {
                              LOG.warn(
                                  "retention could not drop old partitions: {}",
                                  DbErrors.describe(e));
                              return Future.succeededFuture();
                            }));
  }

  private Future<Void> seedCameras() {
    if (cameras.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple arrays =
        Tuple.of(
            cameras.stream().map(CameraConfig::id).toArray(String[]::new),
            cameras.stream().map(CameraConfig::source).toArray(String[]::new),
            cameras.stream().map(c -> cameraConfig(c).encode()).toArray(String[]::new));
    return pool.preparedQuery(SEED_CAMERAS_SQL).execute(arrays).mapEmpty();
  }

  /** The camera's geometry as stored in {@code cameras.config}, raw pixels as [[x,y],...]. */
  static JsonObject cameraConfig(CameraConfig camera) {
    JudgeConfig judge = camera.judge();
    return new JsonObject()
        .put("loop", camera.loop())
        .put("stop_zone", points(judge.stopZone()))
        .put("pre_stop_line", points(judge.preStopLine()))
        .put("capture_line", points(judge.captureLine()));
  }

  private static JsonArray points(List<double[]> points) {
    JsonArray out = new JsonArray();
    points.forEach(p -> out.add(new JsonArray().add(p[0]).add(p[1])));
    return out;
  }
}
