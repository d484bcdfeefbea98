package io.stopsign.web;

import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Headers on every answer: a Content-Security-Policy that runs scripts from this origin only (the
 * pages have no inline script or handler), no framing by any site, no MIME sniffing, and HSTS when
 * the service itself serves TLS.
 */
final class SecurityHeaders {
  /** MediaMTX serves WebRTC (WHEP) on this port beside HLS; the page fetches both. */
  private static final int MEDIAMTX_WEBRTC_PORT = 8889;

  private final String policy;
  private final boolean tls;

  SecurityHeaders(boolean tls, String mediamtxBaseUrl) {
    this.tls = tls;
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    connect.addAll(mediamtxOrigins(mediamtxBaseUrl));
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

  private static Set<String> mediamtxOrigins(String base) {
    Set<String> out = new LinkedHashSet<>();
    if (base == null || base.isBlank()) {
      return out;
    }
    try {
      URI uri = new URI(base.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return out;
      }
      String scheme = uri.getScheme();
      out.add(new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null).toString());
      out.add(
          new URI(scheme, null, uri.getHost(), MEDIAMTX_WEBRTC_PORT, null, null, null).toString());
    } catch (URISyntaxException e) {
      // a base that is no URL plays nothing; the policy stays 'self' only
    }
    return out;
  }
}
