package io.stopsign;

import io.stopsign.api.ApiRouter;
import io.stopsign.broadcast.WebSocketHub;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.DetectRegions;
import io.stopsign.clips.ClipFiles;
import io.stopsign.clips.ClipVerticle;
import io.stopsign.clips.RecordingArchive;
import io.stopsign.cluster.CameraLeaseVerticle;
import io.stopsign.cluster.CameraPipelines;
import io.stopsign.cluster.ClusterConfig;
import io.stopsign.cluster.ClusterStartException;
import io.stopsign.cluster.ClusterVerticle;
import io.stopsign.cluster.HazelcastSettings;
import io.stopsign.codec.Codecs;
import io.stopsign.common.Backoff;
import io.stopsign.decode.DecodeVerticle;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.inference.TiledDetector;
import io.stopsign.judge.OutboxResendVerticle;
import io.stopsign.ops.DiskRetentionVerticle;
import io.stopsign.ops.Meters;
import io.stopsign.ops.PipelineWatchdog;
import io.stopsign.ops.SessionMetricsReporter;
import io.stopsign.persist.Database;
import io.stopsign.persist.PersistVerticle;
import io.stopsign.tracking.TrackingVerticle;
import io.stopsign.web.ProbesVerticle;
import io.stopsign.web.WebVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private final String node;
  private final HazelcastClusterManager clusterManager;
  private Telemetry telemetry;
  private final Map<String, List<String>> cameraDeployments = new HashMap<>();
  private Database database;
  private Pool pool;
  private WebVerticle web;
  private ProbesVerticle probes;

  private Service(Vertx vertx, StopSignConfig config, HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.config = config;
    this.clusterManager = clusterManager;
    ClusterConfig cluster = config.cluster();
    this.node = nodeName(cluster);
  }

  private static String nodeName(ClusterConfig cluster) {
    return cluster.enabled() ? cluster.host() + ":" + cluster.port() : "local";
  }

  /** Starts every verticle of the configured roles; fails if any of them fails to deploy. */
  public static Future<Service> start(StopSignConfig config) {
    VertxOptions options =
        new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    VertxBuilder builder =
        Vertx.builder().withMetrics(new MicrometerMetricsFactory(Meters.registry()));
    ClusterConfig cluster = config.cluster();
    Telemetry telemetry = Telemetry.install(config, nodeName(cluster), options, builder);
    if (!cluster.enabled()) {
      return start(config, builder.with(options).build(), null, telemetry);
    }
    options
        .getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.host())
        .setClusterPublicPort(cluster.eventBusPort());
    HazelcastClusterManager manager;
    try {
      manager = new HazelcastClusterManager(HazelcastSettings.of(cluster));
    } catch (RuntimeException e) {
      telemetry.close();
      return Future.failedFuture(new ClusterStartException(cluster, e));
    }
    return builder
        .with(options)
        .withClusterManager(manager)
        .buildClustered()
        .recover(
            e -> {
              telemetry.close();
              return Future.failedFuture(new ClusterStartException(cluster, e));
            })
        .compose(vertx -> start(config, vertx, manager, telemetry));
  }

  private static Future<Service> start(
      StopSignConfig config, Vertx vertx, HazelcastClusterManager manager, Telemetry telemetry) {
    Codecs.register(vertx.eventBus());
    Service service = new Service(vertx, config, manager);
    service.telemetry = telemetry;
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
                          node)));
    }
    if (config.hasRole("web")) {
      chain =
          chain.compose(
              x -> {
                web =
                    new WebVerticle(
                        config.http(),
                        config.dataDir(),
                        config.cameras(),
                        config.playback(),
                        new WebSocketHub(
                            config.queues().wsClient(),
                            config.http().limits().wsMaxClients(),
                            config.http().limits().wsMaxPerAddress(),
                            config.http().limits().wsPingSeconds()),
                        pool == null ? null : () -> api(pool));
                return vertx.deployVerticle(web);
              });
    }
    if (!config.hasRole("web")) {
      chain =
          chain.compose(
              x -> {
                probes = new ProbesVerticle(config.http(), node);
                return vertx.deployVerticle(probes);
              });
    }
    if (clusterManager != null) {
      chain =
          chain.compose(
              x ->
                  vertx.deployVerticle(
                      new ClusterVerticle(node, config.cluster(), clusterManager::getNodes)));
    }
    if (config.hasRole("analyzer")) {
      // before the cameras: at start every outbox file is an earlier run's, whichever camera
      chain =
          chain.compose(
              x ->
                  vertx.deployVerticle(
                      new OutboxResendVerticle(config.dataDir().resolve("outbox"))));
      if (clusterManager == null) {
        for (CameraConfig camera : config.cameras()) {
          chain = chain.compose(x -> deployCamera(camera));
        }
      } else {
        // the model is checked here so a bad one stops start-up; cameras start when leased
        chain =
            chain
                .compose(x -> vertx.executeBlocking(this::checkModel, false))
                .compose(
                    x ->
                        vertx.deployVerticle(
                            new CameraLeaseVerticle(
                                node,
                                cameraIds,
                                leasedCameras(),
                                CameraLeaseVerticle.LeaseTiming.STANDARD)));
      }
      chain =
          chain.compose(
              x ->
                  vertx.deployVerticle(new DiskRetentionVerticle(config.dataDir(), config.disk())));
      if (config.clips().enabled()) {
        chain =
            chain.compose(
                x -> vertx.deployVerticle(new ClipVerticle(config.dataDir(), config.clips())));
      }
    }
    return chain;
  }

  /** The history API router, built from the configuration's cameras, data dir and time zone. */
  private Future<Router> api(Pool pool) {
    return ApiRouter.create(
        vertx, pool, config.cameras(), config.playback(), config.dataDir(), config.timezone());
  }

  /** Deploys one camera's decode, inference and tracking; its deployment ids go last-first. */
  private Future<?> deployCamera(CameraConfig camera) {
    List<String> ids = new ArrayList<>();
    cameraDeployments.put(camera.id(), ids);
    return vertx
        .executeBlocking(() -> tiled(Detectors.open(config.model()), camera), false)
        .compose(
            (Detector detector) ->
                deployed(
                        ids,
                        new TrackingVerticle(
                                camera.id(),
                                camera.judge(),
                                config.queues().detections(),
                                config.tracker())
                            .outbox(config.dataDir().resolve("outbox").resolve(camera.id())))
                    .onFailure(e -> closeQuietly(detector)) // not yet owned by inference
                    .compose(
                        x ->
                            deployed(
                                ids,
                                new InferenceVerticle(
                                    camera.id(), detector, config.queues().frames(), 1)))
                    .compose(x -> deployed(ids, decode(camera, detector)))
                    .compose(x -> deployed(ids, new SessionMetricsReporter(camera.id())))
                    .compose(
                        x ->
                            deployed(
                                ids,
                                new PipelineWatchdog(
                                    camera.id(),
                                    node,
                                    config.watchdog().inferenceStall(),
                                    config.watchdog().errorBudget(),
                                    config.watchdog().errorWindowSeconds()))));
  }

  private DecodeVerticle decode(CameraConfig camera, Detector detector) {
    WatchdogConfig watchdog = config.watchdog();
    return new DecodeVerticle(
            camera, detector.input(), config.dataDir(), config.playback().embeddedHls(), node)
        .recording(recording(camera))
        .staleAfter(watchdog.stale())
        .stallTimeout(watchdog.stall())
        .timeouts(watchdog.openTimeout(), watchdog.readTimeout())
        .backoff(
            new Backoff(Duration.ofMillis(500), watchdog.reconnectMax(), Duration.ofMinutes(1)));
  }

  /** The camera's recording for replay clips, or null when clips are off. */
  private RecordingArchive recording(CameraConfig camera) {
    return config.clips().enabled()
        ? new RecordingArchive(
            camera.id(),
            ClipFiles.recordings(config.dataDir(), camera.id()),
            config.clips().recording())
        : null;
  }

  private Future<String> deployed(List<String> ids, io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(id -> ids.add(0, id));
  }

  /** Starts and stops cameras as this analyzer takes and loses their leases. */
  private CameraPipelines leasedCameras() {
    Map<String, CameraConfig> byId = new HashMap<>();
    config.cameras().forEach(c -> byId.put(c.id(), c));
    return new CameraPipelines() {
      @Override
      public Future<Void> start(String camera) {
        return deployCamera(byId.get(camera))
            .<Void>mapEmpty()
            .recover(e -> stop(camera).transform(x -> Future.failedFuture(e)));
      }

      @Override
      public Future<Void> stop(String camera) {
        List<String> ids = cameraDeployments.remove(camera);
        Future<Void> chain = Future.succeededFuture();
        for (String id : ids == null ? List.<String>of() : ids) {
          chain = chain.transform(x -> vertx.undeploy(id));
        }
        return chain;
      }
    };
  }

  private Void checkModel() throws Exception {
    Detectors.open(config.model()).close();
    return null;
  }

  /** The camera's detector: the model alone, or over tiles when the camera names regions. */
  private Detector tiled(Detector detector, CameraConfig camera) {
    DetectRegions detect = camera.detect();
    return detect.regions().isEmpty()
        ? detector
        : new TiledDetector(
            detector,
            detect.boxes(),
            detect.relative(),
            detect.sourceWidth(),
            config.model().nmsIou());
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
    pool = database.apiPool(vertx, config.db().poolSize());
    return null;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The HTTP port actually bound (useful with port 0): pages and API, or the probes alone. */
  public int httpPort() {
    if (web != null) {
      return web.actualPort();
    }
    return probes == null ? -1 : probes.actualPort();
  }

  /** Stops accepting work, flushes batches, closes native resources and the database. */
  public Future<Void> close() {
    return vertx.close().onComplete(x -> closeDatabase());
  }

  private void closeDatabase() {
    if (telemetry != null) {
      telemetry.close(); // after the verticles, so their last spans go out
      telemetry = null;
    }
    if (database != null) {
      database.close();
      database = null;
    }
  }
}
