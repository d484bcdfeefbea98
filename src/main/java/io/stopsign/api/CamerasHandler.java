package io.stopsign.api;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.PlaybackUrls;
import io.stopsign.camera.SourceNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /cameras: the configured cameras, their geometry as the judges use it now (the zone editor's
 * stored one over the config file's) and where the page plays them.
 */
final class CamerasHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CamerasHandler.class);

  private final CameraGeometries geometries;
  private final PlaybackUrls playback;

  CamerasHandler(CameraGeometries geometries, PlaybackUrls playback) {
    this.geometries = geometries;
    this.playback = playback;
  }

  void list(RoutingContext ctx) {
    geometries
        .stored()
        .recover(
            e -> {
              // the page still needs what to play: the file's geometry, marked as unconfirmed
              LOG.warn("GET /cameras without the stored geometry: {}", e.getMessage());
              return Future.succeededFuture(null);
            })
        .onSuccess(
            stored -> {
              // A bare array, the shape the web verticle's fallback (no database) serves too.
              JsonArray items = new JsonArray();
              for (CameraConfig camera : geometries.configured()) {
                CameraGeometries.Stored s = stored == null ? null : stored.get(camera.id());
                String source = stored == null ? "unknown" : s == null ? "config" : "editor";
                items.add(
                    camera(camera, CameraGeometries.effective(camera, s), playback)
                        .put("geometry_source", source)
                        .put("geometry_version", s == null ? 0 : s.version()));
              }
              ctx.response()
                  .putHeader("content-type", "application/json")
                  .putHeader("cache-control", "no-cache")
                  .end(items.encode());
            });
  }

  static JsonObject camera(CameraConfig camera, PlaybackUrls playback) {
    return camera(camera, camera.judge(), playback);
  }

  static JsonObject camera(CameraConfig camera, JudgeConfig judge, PlaybackUrls playback) {
    String id = camera.id();
    return new JsonObject()
        .put("id", id)
        .put("source", shownSource(camera.source()))
        .put("stop_zone", points(judge.stopZone()))
        .put("pre_stop_line", points(judge.preStopLine()))
        .put("capture_line", points(judge.captureLine()))
        .put("calibration", judge.calibration() == null ? null : judge.calibration().toJson())
        .put("speed_unit", judge.speedUnit())
        .put("hls_url", playback.hlsUrl(id))
        .put("whep_url", playback.whepUrl(id));
  }

  /** Scheme and host only: URLs of cameras carry passwords, paths and tokens. */
  static String shownSource(String source) {
    return SourceNames.shown(source);
  }

  private static JsonArray points(List<double[]> points) {
    JsonArray out = new JsonArray();
    for (double[] p : points) {
      out.add(new JsonArray().add(p[0]).add(p[1]));
    }
    return out;
  }
}
