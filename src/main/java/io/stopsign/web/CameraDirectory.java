package io.stopsign.web;

import io.stopsign.config.StopSignConfig;
import io.stopsign.decode.CameraConfig;
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
  private final StopSignConfig config;

  CameraDirectory(StopSignConfig config) {
    this.config = config;
  }

  void list(RoutingContext ctx) {
    JsonArray cameras = new JsonArray();
    for (CameraConfig camera : config.cameras()) {
      cameras.add(
          new JsonObject()
              .put("id", camera.id())
              .put("stop_zone", points(camera.judge().stopZone()))
              .put("pre_stop_line", points(camera.judge().preStopLine()))
              .put("capture_line", points(camera.judge().captureLine()))
              .put("hls_url", hlsUrl(config.mediamtxBaseUrl(), camera.id()))
              .putNull("whep_url"));
    }
    ctx.response()
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .end(cameras.encode());
  }

  /** Any other /api path when no database is attached to this process. */
  static void unavailable(RoutingContext ctx) {
    ErrorResponses.send(
        ctx, 503, "the history API needs the database, and this process runs without one (roles)");
  }

  static String hlsUrl(String mediamtxBaseUrl, String camera) {
    if (mediamtxBaseUrl == null || mediamtxBaseUrl.isBlank()) {
      return "/hls/" + camera + "/index.m3u8";
    }
    String base =
        mediamtxBaseUrl.endsWith("/")
            ? mediamtxBaseUrl.substring(0, mediamtxBaseUrl.length() - 1)
            : mediamtxBaseUrl;
    return base + "/" + camera + "/index.m3u8";
  }

  private static JsonArray points(List<double[]> points) {
    JsonArray out = new JsonArray();
    points.forEach(p -> out.add(new JsonArray().add(p[0]).add(p[1])));
    return out;
  }
}
