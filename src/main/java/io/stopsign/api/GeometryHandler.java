package io.stopsign.api;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.EditedGeometry;
import io.stopsign.camera.JudgeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone editor's side of the API: {@code PUT /cameras/{id}/geometry} checks a drawn geometry,
 * stores it with one {@code geometry_changed} event in one transaction, and hands it to the
 * camera's judge at once; {@code GET /cameras/{id}/frame} is the picture it is drawn over; and the
 * judges' start-up question for the stored geometry ({@link Addresses#STORED_GEOMETRY}).
 */
final class GeometryHandler {
  private static final Logger LOG = LoggerFactory.getLogger(GeometryHandler.class);
  static final long JUDGE_TIMEOUT_MS = 5_000;
  // a still frame is one JPEG encode on the analyzer: a few seconds bound a loaded one
  static final long FRAME_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final Pool pool;
  private final CameraGeometries geometries;

  GeometryHandler(Vertx vertx, Pool pool, CameraGeometries geometries) {
    this.vertx = vertx;
    this.pool = pool;
    this.geometries = geometries;
  }

  void put(RoutingContext ctx) {
    CameraConfig camera = camera(ctx);
    JsonObject body = Params.of(ctx).body();
    FrameSizes.next(vertx, camera.id())
        .map(size -> checked(body, camera, size))
        .compose(edited -> save(camera.id(), edited).map(saved -> new Object[] {edited, saved}))
        .compose(
            done -> {
              JudgeConfig edited = (JudgeConfig) done[0];
              JsonObject saved = (JsonObject) done[1];
              return applyToJudge(camera.id(), edited, saved.getLong("version"))
                  .map(applied -> saved.put("applied", applied));
            })
        .onSuccess(saved -> ApiRouter.json(ctx, saved))
        .onFailure(ctx::fail);
  }

  private static JudgeConfig checked(JsonObject body, CameraConfig camera, int[] size) {
    try {
      return EditedGeometry.parse(body, camera.judge(), size[0], size[1]);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_geometry", e.getMessage() + ".");
    }
  }

  /** Stores the new geometry and its audit event in one transaction; answers what was saved. */
  private Future<JsonObject> save(String camera, JudgeConfig edited) {
    JsonObject geometry = edited.geometryJson();
    return pool.withTransaction(
        conn ->
            CameraGeometries.stored(conn, camera, true)
                .compose(
                    old -> {
                      long version = old == null ? 1 : old.version() + 1;
                      JsonObject before =
                          old == null
                              ? geometries.configured(camera).judge().geometryJson()
                              : old.json();
                      return upsert(conn, camera, geometry, version)
                          .compose(x -> audit(conn, camera, before, geometry, version, old == null))
                          .map(
                              x ->
                                  new JsonObject()
                                      .put("camera", camera)
                                      .put("version", version)
                                      .put("geometry", geometry)
                                      .put("speed_unit", edited.speedUnit()));
                    }));
  }

  private static Future<?> upsert(
      SqlConnection conn, String camera, JsonObject geometry, long version) {
    return conn.preparedQuery(
            "INSERT INTO camera_geometry (camera, geometry, version, updated_utc)"
                + " VALUES ($1, $2, $3, now()) ON CONFLICT (camera) DO UPDATE SET geometry ="
                + " EXCLUDED.geometry, version = EXCLUDED.version, updated_utc = now()")
        .execute(Tuple.of(camera, geometry, version));
  }

  /** The one audit row per change: the geometry before (the file's at the first save) and after. */
  private static Future<?> audit(
      SqlConnection conn,
      String camera,
      JsonObject before,
      JsonObject after,
      long version,
      boolean fromFile) {
    JsonObject detail =
        new JsonObject()
            .put("version", version)
            .put("old_source", fromFile ? "config" : "editor")
            .put("old", before)
            .put("new", after);
    return conn.preparedQuery(
            "INSERT INTO events (id, ts_utc, camera, kind, payload)"
                + " VALUES ($1, now(), $2, 'geometry_changed', $3)")
        .execute(Tuple.of(UUID.randomUUID(), camera, detail));
  }

  /** Hands the geometry to the camera's judge, wherever it runs; false when none answered. */
  private Future<Boolean> applyToJudge(String camera, JudgeConfig edited, long version) {
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(JUDGE_TIMEOUT_MS)
            .addHeader(Addresses.GEOMETRY_VERSION_HEADER, Long.toString(version));
    return vertx
        .eventBus()
        .request(Addresses.cameraConfig(camera), edited, options)
        .map(reply -> true)
        .recover(
            e -> {
              // stored all the same: the judge asks for it when its camera starts
              LOG.info(
                  "camera {}: geometry version {} stored; no judge took it now ({})",
                  camera,
                  version,
                  e.getMessage());
              return Future.succeededFuture(false);
            });
  }

  /**
   * The newest decoded picture of the camera as JPEG, with its size in headers: asked of the
   * analyzer decoding it, wherever in the cluster (this process with {@code roles: [all]}).
   */
  void frame(RoutingContext ctx) {
    CameraConfig camera = camera(ctx);
    vertx
        .eventBus()
        .<Buffer>request(
            Addresses.stillFrame(camera.id()),
            null,
            new DeliveryOptions().setSendTimeout(FRAME_TIMEOUT_MS))
        .recover(e -> Future.failedFuture(noFrame(camera.id(), e)))
        .onSuccess(reply -> sendFrame(ctx, reply))
        .onFailure(ctx::fail);
  }

  /** Why no picture came, in a sentence for the editor; never a stack trace. */
  private static ApiException noFrame(String camera, Throwable e) {
    String why =
        e instanceof ReplyException r
            ? switch (r.failureType()) {
              case NO_HANDLERS ->
                  "no analyzer decodes it now (not leased yet, or its analyzer is down)";
              case TIMEOUT ->
                  "its analyzer did not answer within " + FRAME_TIMEOUT_MS / 1000 + " s";
              case RECIPIENT_FAILURE -> r.getMessage();
              default -> "its analyzer could not be reached";
            }
            : "its analyzer could not be reached";
    return new ApiException(409, "camera_not_streaming", "Camera " + camera + ": " + why + ".");
  }

  private static void sendFrame(RoutingContext ctx, Message<Buffer> reply) {
    ctx.response()
        .putHeader("content-type", "image/jpeg")
        .putHeader("cache-control", "no-store")
        .putHeader("x-frame-width", dimension(reply, Addresses.FRAME_WIDTH_HEADER))
        .putHeader("x-frame-height", dimension(reply, Addresses.FRAME_HEIGHT_HEADER))
        .end(reply.body())
        .onFailure(ctx::fail);
  }

  private static String dimension(Message<Buffer> reply, String header) {
    String value = reply.headers().get(header);
    return value == null ? "0" : value;
  }

  /** Answers a judge's start-up question: the camera's stored geometry and version, or none. */
  void answerStored(Message<Object> message) {
    String camera = message.body() instanceof JsonObject json ? json.getString("camera", "") : "";
    CameraGeometries.stored(pool, camera, false)
        .onSuccess(
            stored ->
                message.reply(
                    new JsonObject()
                        .put("camera", camera)
                        .put("version", stored == null ? 0 : stored.version())
                        .put("geometry", stored == null ? null : stored.json())))
        .onFailure(e -> message.fail(503, "stored geometry unavailable: " + e.getMessage()));
  }

  private CameraConfig camera(RoutingContext ctx) {
    String id = Params.of(ctx).pathString("id");
    CameraConfig camera = geometries.configured(id);
    if (camera == null) {
      throw ApiException.notFound(
          "No camera '" + id + "' is configured; GET /api/cameras lists them.");
    }
    return camera;
  }
}
