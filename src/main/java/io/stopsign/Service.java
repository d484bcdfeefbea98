package io.stopsign;

import io.stopsign.api.ApiRouter;
import io.stopsign.broadcast.BroadcastVerticle;
import io.stopsign.broadcast.WebSocketHub;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.DetectRegions;
import io.stopsign.codec.Codecs;
import io.stopsign.decode.DecodeVerticle;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.inference.TiledDetector;
import io.stopsign.ops.DiskRetentionVerticle;
import io.stopsign.ops.Meters;
import io.stopsign.ops.SessionMetricsReporter;
import io.stopsign.persist.Database;
import io.stopsign.persist.PersistVerticle;
import io.stopsign.tracking.TrackingVerticle;
import io.stopsign.web.WebVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: one Vert.x instance with the verticles of the configured roles. The same
 * classes run in one JVM ({@code roles: [all]}) or spread over a cluster.
 */
public final class Service {
  private static final Logger LOG = LoggerFactory.getLogger(Service.class);

  private final Vertx vertx;
  private final StopSignConfig config;
  private final HealthChecks readiness;
  private Database database;
  private Pool pool;
  private WebVerticle web;

  private Service(Vertx vertx, StopSignConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.readiness = HealthChecks.create(vertx);
  }

  /** Starts every verticle of the configured roles; fails if any of them fails to deploy. */
  public static Future<Service> start(StopSignConfig config) {
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(Meters.registry()))
            .build();
    Codecs.register(vertx.eventBus());
    Service service = new Service(vertx, config);
    return service
        .deploy()
        .map(service)
        .recover(
            e ->
                vertx
                    .close()
                    .transform(
                        x -> {
                          service.closeDatabase();
                          return Future.failedFuture(e);
                        }));
  }

  private Future<?> deploy() {
    List<String> cameraIds = config.cameras().stream().map(CameraConfig::id).toList();
    Future<?> chain = Future.succeededFuture();
    if (config.hasRole("persist") || config.hasRole("web")) {
      chain = chain.compose(x -> vertx.executeBlocking(this::openDatabase, false));
    }
    if (config.hasRole("persist")) {
      chain =
          chain.compose(
              x ->
                  vertx.deployVerticle(
                      new PersistVerticle(
                          database,
                          config.db(),
                          config.dataDir(),
                          config.cameras(),
                          config.queues().metadata(),
                          readiness)));
    }
    if (config.hasRole("web")) {
      WebSocketHub hub = new WebSocketHub(config.queues().wsClient());
      chain =
          chain
              .compose(x -> vertx.deployVerticle(new BroadcastVerticle(cameraIds, hub)))
              .compose(
                  x -> {
                    web =
                        new WebVerticle(
                            config.http(),
                            config.dataDir(),
                            config.cameras(),
                            config.mediamtxBaseUrl(),
                            readiness,
                            hub,
                            pool == null ? null : () -> api(pool));
                    return vertx.deployVerticle(web);
                  });
    }
    if (config.hasRole("analyzer")) {
      if (config.cameras().isEmpty()) {
        readiness.register(
            "cameras",
            promise ->
                promise.complete(
                    Status.KO(
                        new JsonObject()
                            .put(
                                "reason",
                                "no camera is configured: add cameras to the config or pass --source"))));
      }
      for (CameraConfig camera : config.cameras()) {
        chain = chain.compose(x -> deployCamera(camera));
      }
      chain =
          chain.compose(
              x ->
                  vertx.deployVerticle(new DiskRetentionVerticle(config.dataDir(), config.disk())));
    }
    return chain;
  }

  /** The history API router, built from the configuration's cameras, data dir and time zone. */
  private Future<Router> api(Pool pool) {
    return ApiRouter.create(
        vertx,
        pool,
        config.cameras(),
        config.mediamtxBaseUrl(),
        config.dataDir(),
        config.timezone());
  }

  private Future<?> deployCamera(CameraConfig camera) {
    return vertx
        .executeBlocking(() -> tiled(Detectors.open(config.model()), camera), false)
        .compose(
            (Detector detector) -> {
              DecodeVerticle decode =
                  new DecodeVerticle(
                      camera,
                      detector.input(),
                      config.dataDir(),
                      config.mediamtxBaseUrl().isEmpty(),
                      readiness);
              Supplier<String> runId =
                  () ->
                      decode.sourceState().runId().isEmpty() ? null : decode.sourceState().runId();
              return vertx
                  .deployVerticle(
                      new TrackingVerticle(
                          camera.id(),
                          camera.judge(),
                          config.queues().detections(),
                          config.tracker()))
                  .onFailure(e -> closeQuietly(detector)) // not yet owned by inference
                  .compose(
                      x ->
                          vertx.deployVerticle(
                              new InferenceVerticle(
                                  camera.id(),
                                  detector,
                                  config.queues().frames(),
                                  config.model().threads())))
                  .compose(x -> vertx.deployVerticle(decode))
                  .compose(
                      x -> vertx.deployVerticle(new SessionMetricsReporter(camera.id(), runId)));
            });
  }

  /** The camera's detector: the model alone, or over tiles when the camera names regions. */
  private Detector tiled(Detector detector, CameraConfig camera) {
    DetectRegions detect = camera.detect();
    return detect.regions().isEmpty()
        ? detector
        : new TiledDetector(
            detector, detect.boxes(), detect.sourceWidth(), config.model().nmsIou());
  }

  private static void closeQuietly(Detector detector) {
    try {
      detector.close();
    } catch (Exception e) {
      LOG.warn("detector did not close cleanly: {}", e.getMessage());
    }
  }

  private Void openDatabase() {
    database = Database.start(config.db(), config.dataDir());
    if (!config.hasRole("persist")) {
      database.migrate(); // the persist verticle migrates at its own start
    }
    pool = database.pool(vertx, config.db().poolSize());
    return null;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The HTTP port actually bound (useful with port 0), or -1 without the web role. */
  public int httpPort() {
    return web == null ? -1 : web.actualPort();
  }

  /** Stops accepting work, flushes batches, closes native resources and the database. */
  public Future<Void> close() {
    return vertx.close().onComplete(x -> closeDatabase());
  }

  private void closeDatabase() {
    if (database != null) {
      database.close();
      database = null;
    }
  }
}
