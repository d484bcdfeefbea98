package io.stopsign.web;

import io.stopsign.camera.PlaybackUrls;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Headers on every answer: a Content-Security-Policy that runs scripts from this origin only (the
 * pages have no inline script or handler), no framing by any site, no MIME sniffing, and HSTS when
 * the service itself serves TLS.
 */
final class SecurityHeaders {
  private final String policy;
  private final boolean tls;

  SecurityHeaders(boolean tls, PlaybackUrls playback) {
    this.tls = tls;
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    // HLS playlists and segments, and the WHEP offer (POST) and session end (DELETE)
    connect.addAll(playback.origins());
    this.policy =
        String.join(
            "; ",
            "default-src 'self'",
            "script-src 'self'",
            // uPlot and Swagger UI set element styles from script
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            // hls.js plays through MediaSource (blob:) and demuxes in a blob: worker
            "media-src 'self' blob:",
            "worker-src 'self' blob:",
            "connect-src " + String.join(" ", connect),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
  }

  String policy() {
    return policy;
  }

  void handle(RoutingContext ctx) {
    var headers = ctx.response().headers();
    headers
        .set("x-content-type-options", "nosniff")
        .set("referrer-policy", "same-origin")
        .set("content-security-policy", policy)
        .set("x-frame-options", "DENY");
    if (tls) {
      headers.set("strict-transport-security", "max-age=31536000");
    }
    ctx.next();
  }
}
