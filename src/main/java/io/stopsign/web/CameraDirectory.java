package io.stopsign.web;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.PlaybackUrls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /api/cameras} from the configuration, for processes that run without the history API
 * (no database): the page needs it to know what to play. The API router serves the same shape when
 * it is mounted.
 */
final class CameraDirectory {
  private final List<CameraConfig> cameras;
  private final PlaybackUrls playback;

  CameraDirectory(List<CameraConfig> cameras, PlaybackUrls playback) {
    this.cameras = List.copyOf(cameras);
    this.playback = playback;
  }

  void list(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (CameraConfig camera : cameras) {
      list.add(
          new JsonObject()
              .put("id", camera.id())
              .put("stop_zone", points(camera.judge().stopZone()))
              .put("pre_stop_line", points(camera.judge().preStopLine()))
              .put("capture_line", points(camera.judge().captureLine()))
              .put("hls_url", playback.hlsUrl(camera.id()))
              .put("whep_url", playback.whepUrl(camera.id())));
    }
    ctx.response()
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .end(list.encode());
  }

  /** Any other /api path when no database is attached to this process. */
  static void unavailable(RoutingContext ctx) {
    ErrorResponses.send(
        ctx, 503, "the history API needs the database, and this process runs without one (roles)");
  }

  private static JsonArray points(List<double[]> points) {
    JsonArray out = new JsonArray();
    points.forEach(p -> out.add(new JsonArray().add(p[0]).add(p[1])));
    return out;
  }
}
