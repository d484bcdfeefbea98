package io.stopsign.camera;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where the browser plays the cameras: HLS from MediaMTX ({@code mediamtx.base_url}) or from this
 * service, and WebRTC (WHEP) from MediaMTX ({@code mediamtx.webrtc_url}, by default the HLS host on
 * MediaMTX's WebRTC port 8889). Either may be absent; the page falls back from WHEP to HLS.
 *
 * @param hlsBase MediaMTX's HLS base URL without a trailing slash; empty = the embedded HLS
 * @param webrtcBase MediaMTX's WebRTC base URL without a trailing slash; empty = no WebRTC
 */
public record PlaybackUrls(String hlsBase, String webrtcBase) {
  /** MediaMTX serves WebRTC (WHEP) on this port beside HLS on 8888. */
  public static final int MEDIAMTX_WEBRTC_PORT = 8889;

  /** The embedded HLS only, no WebRTC. */
  public static final PlaybackUrls EMBEDDED = new PlaybackUrls("", "");

  /**
   * @param mediamtxBaseUrl {@code mediamtx.base_url}
   * @param webrtcUrl {@code mediamtx.webrtc_url}; empty = derived from the base URL
   */
  public static PlaybackUrls of(String mediamtxBaseUrl, String webrtcUrl) {
    String hls = stripSlash(mediamtxBaseUrl);
    String webrtc = stripSlash(webrtcUrl);
    if (webrtc.isEmpty() && !hls.isEmpty()) {
      webrtc = withPort(hls, MEDIAMTX_WEBRTC_PORT);
    }
    return new PlaybackUrls(hls, webrtc);
  }

  /** The service writes and serves HLS itself. */
  public boolean embeddedHls() {
    return hlsBase.isEmpty();
  }

  public String hlsUrl(String camera) {
    return (hlsBase.isEmpty() ? "/hls" : hlsBase) + "/" + camera + "/index.m3u8";
  }

  /** MediaMTX's WHEP endpoint of the camera ({@code <base>/<camera>/whep}), or null for none. */
  public String whepUrl(String camera) {
    return webrtcBase.isEmpty() ? null : webrtcBase + "/" + camera + "/whep";
  }

  /** The origins the page fetches video from besides its own (for connect-src). */
  public Set<String> origins() {
    Set<String> out = new LinkedHashSet<>();
    for (String base : new String[] {hlsBase, webrtcBase}) {
      String origin = origin(base);
      if (origin != null) {
        out.add(origin);
      }
    }
    return out;
  }

  private static String origin(String base) {
    try {
      URI uri = new URI(base);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null)
          .toString();
    } catch (URISyntaxException e) {
      return null; // a base that is no URL plays nothing
    }
  }

  private static String withPort(String base, int port) {
    try {
      URI uri = new URI(base);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return "";
      }
      return stripSlash(
          new URI(uri.getScheme(), null, uri.getHost(), port, uri.getPath(), null, null)
              .toString());
    } catch (URISyntaxException e) {
      return "";
    }
  }

  private static String stripSlash(String s) {
    String t = s == null ? "" : s.strip();
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }
}
