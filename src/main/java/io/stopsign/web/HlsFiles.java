package io.stopsign.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Serves the embedded HLS output: {@code /hls/<camera>/<file>} from {@code data_dir/hls/<camera>/}.
 * Only flat file names of playlist and segment types are served, so no request reaches outside that
 * folder; the playlist is never cached, segments briefly.
 */
final class HlsFiles implements Handler<RoutingContext> {
  private static final Pattern CAMERA = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern FILE =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}\\.(m3u8|ts|m4s|mp4|aac)");
  private static final String PREFIX = "/hls/";

  private final Path root;

  HlsFiles(Path dataDir) {
    this.root = dataDir.toAbsolutePath().normalize().resolve("hls");
  }

  @Override
  public void handle(RoutingContext ctx) {
    // the raw path, not the router's normalised one: a "../" is refused, never resolved
    String raw = ctx.request().path();
    String[] parts =
        raw.startsWith(PREFIX) ? raw.substring(PREFIX.length()).split("/", -1) : new String[0];
    if (parts.length != 2) {
      ErrorResponses.send(ctx, 400, "HLS paths are /hls/<camera>/<file>");
      return;
    }
    String camera = decode(parts[0]);
    String name = decode(parts[1]);
    if (camera == null
        || name == null
        || !CAMERA.matcher(camera).matches()
        || !FILE.matcher(name).matches()) {
      ErrorResponses.send(ctx, 400, "not an HLS playlist or segment name");
      return;
    }
    Path file = root.resolve(camera).resolve(name).normalize();
    if (!file.startsWith(root.resolve(camera))) {
      ErrorResponses.send(ctx, 400, "not an HLS playlist or segment name");
      return;
    }
    ctx.vertx()
        .fileSystem()
        .lprops(file.toString())
        .onComplete(
            props -> {
              if (props.failed() || !props.result().isRegularFile()) {
                ErrorResponses.send(
                    ctx, 404, "no HLS file " + camera + "/" + name + " (is the camera streaming?)");
                return;
              }
              send(ctx, file, name);
            });
  }

  private static void send(RoutingContext ctx, Path file, String name) {
    HttpServerResponse response = ctx.response();
    boolean playlist = name.endsWith(".m3u8");
    response
        .putHeader("content-type", contentType(name))
        .putHeader("cache-control", playlist ? "no-cache, no-store" : "public, max-age=20")
        // segments are already compressed video; gzip would only burn CPU
        .putHeader("content-encoding", "identity");
    response
        .sendFile(file.toString())
        .onFailure(e -> ErrorResponses.send(ctx, 404, "HLS file vanished: " + name));
  }

  private static String contentType(String name) {
    if (name.endsWith(".m3u8")) {
      return "application/vnd.apple.mpegurl";
    } else if (name.endsWith(".ts")) {
      return "video/mp2t";
    } else if (name.endsWith(".m4s")) {
      return "video/iso.segment";
    } else if (name.endsWith(".aac")) {
      return "audio/aac";
    }
    return "video/mp4";
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
