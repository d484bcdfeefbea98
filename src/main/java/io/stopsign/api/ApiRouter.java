package io.stopsign.api;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.PlaybackUrls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/**
 * The history REST API as a sub-router for {@code /api}: routes and request validation come from
 * {@code openapi.yaml}, every failure answers {@code {"error", "detail"}}.
 */
public final class ApiRouter {
  /**
   * Where the web verticle mounts the router; the OpenAPI servers URL and snapshot URLs say so too.
   */
  public static final String MOUNT_POINT = "/api";

  /** Largest request body (a re-score's thresholds are a few hundred bytes). */
  static final long MAX_BODY_BYTES = 64 * 1024;

  /**
   * Builds the router. Mount it with {@code router.route("/api/*").subRouter(apiRouter)}.
   *
   * @param pool queries run on it; the caller owns and closes it
   * @param cameras the configured cameras, listed and re-scored with their own geometry
   * @param playback where the page plays the cameras (HLS, WebRTC)
   * @param dataDir where pass snapshots and clips are stored
   * @param timezone the zone of the stats' days and hours
   */
  public static Future<Router> create(
      Vertx vertx,
      Pool pool,
      List<CameraConfig> cameras,
      PlaybackUrls playback,
      Path dataDir,
      ZoneId timezone) {
    Setup setup = new Setup(cameras, playback, dataDir, timezone);
    return vertx
        .executeBlocking(ApiDocs::load, false)
        .compose(
            docs ->
                OpenAPIContract.from(vertx, docs.contract())
                    .map(contract -> build(vertx, pool, setup, contract, docs)));
  }

  private static Router build(
      Vertx vertx, Pool pool, Setup setup, OpenAPIContract contract, ApiDocs docs) {
    CameraGeometries geometries = new CameraGeometries(pool, setup.cameras());
    PassesHandler passes = new PassesHandler(vertx, pool, setup.dataDir(), geometries);
    PassClipHandler clips = new PassClipHandler(vertx, pool, setup.dataDir());
    StatsHandler stats = new StatsHandler(pool, setup.timezone());
    SessionMetricsHandler metrics = new SessionMetricsHandler(pool);
    CamerasHandler cameras = new CamerasHandler(geometries, setup.playback());
    RescoreHandler rescore = new RescoreHandler(vertx, pool, geometries);
    GeometryHandler geometry = new GeometryHandler(vertx, pool, geometries);
    // judges ask for the stored geometry when they start; any node with the database answers
    vertx.eventBus().consumer(Addresses.STORED_GEOMETRY, geometry::answerStored);

    RouterBuilder builder = RouterBuilder.create(vertx, contract, new ExactRequestExtractor());
    // Bodies are read before validation; no file uploads, so nothing is written to disk.
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    builder.getRoute("listPasses").addHandler(passes::list);
    builder.getRoute("getPass").addHandler(passes::get);
    builder.getRoute("getPassSnapshot").addHandler(passes::snapshot);
    builder.getRoute("getPassClip").addHandler(clips::clip);
    builder.getRoute("rescorePasses").addHandler(rescore::rescore);
    builder.getRoute("getStats").addHandler(stats::stats);
    builder.getRoute("getRecords").addHandler(stats::records);
    builder.getRoute("getSessionMetrics").addHandler(metrics::list);
    builder.getRoute("listCameras").addHandler(cameras::list);
    builder.getRoute("putCameraGeometry").addHandler(geometry::put);
    builder.getRoute("getCameraFrame").addHandler(geometry::frame);

    Router router = builder.createRouter();
    docs.mount(router);
    router
        .route()
        .last()
        .handler(
            ctx ->
                ctx.fail(ApiException.notFound("No such API resource: " + ctx.request().path())));
    router.route().failureHandler(new ApiFailureHandler());
    return router;
  }

  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  /** What the handlers need from the configuration (the whole config sits above the API). */
  private record Setup(
      List<CameraConfig> cameras, PlaybackUrls playback, Path dataDir, ZoneId timezone) {}

  private ApiRouter() {}
}
