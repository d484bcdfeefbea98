package io.stopsign.api;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.SourceNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** GET /cameras: the configured cameras, their zones and where the page plays them. */
final class CamerasHandler {
  /** MediaMTX serves WebRTC (WHEP) on this port beside HLS on 8888. */
  static final int WEBRTC_PORT = 8889;

  private final String body;

  CamerasHandler(List<CameraConfig> cameras, String mediamtxBaseUrl) {
    JsonArray items = new JsonArray();
    for (CameraConfig camera : cameras) {
      items.add(camera(camera, mediamtxBaseUrl));
    }
    // A bare array, the shape the web verticle's fallback (no database) serves too.
    this.body = items.encode();
  }

  void list(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-cache")
        .end(body);
  }

  static JsonObject camera(CameraConfig camera, String mediamtxBaseUrl) {
    String base = stripSlash(mediamtxBaseUrl == null ? "" : mediamtxBaseUrl.trim());
    String id = camera.id();
    return new JsonObject()
        .put("id", id)
        .put("source", shownSource(camera.source()))
        .put("stop_zone", points(camera.judge().stopZone()))
        .put("pre_stop_line", points(camera.judge().preStopLine()))
        .put("capture_line", points(camera.judge().captureLine()))
        .put("speed_unit", camera.judge().speedUnit())
        .put("hls_url", (base.isEmpty() ? "/hls" : base) + "/" + id + "/index.m3u8")
        .put("whep_url", base.isEmpty() ? null : whepUrl(base, id));
  }

  /** Scheme and host only: URLs of cameras carry passwords, paths and tokens. */
  static String shownSource(String source) {
    return SourceNames.shown(source);
  }

  /** MediaMTX's WHEP endpoint: the HLS base with the WebRTC port; null when the base is no URL. */
  static String whepUrl(String base, String id) {
    try {
      URI hls = new URI(base);
      if (hls.getScheme() == null || hls.getHost() == null) {
        return null;
      }
      URI webrtc =
          new URI(hls.getScheme(), null, hls.getHost(), WEBRTC_PORT, hls.getPath(), null, null);
      return stripSlash(webrtc.toString()) + "/" + id + "/whep";
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static JsonArray points(List<double[]> points) {
    JsonArray out = new JsonArray();
    for (double[] p : points) {
      out.add(new JsonArray().add(p[0]).add(p[1]));
    }
    return out;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
