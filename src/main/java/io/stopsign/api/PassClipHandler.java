package io.stopsign.api;

import io.stopsign.clips.ClipFiles;
import io.stopsign.clips.ClipInfo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * GET /passes/{id}/clip: the pass's replay clip (MP4, H.264), with byte ranges so a video element
 * can seek; 404 when the pass is unknown or its clip was never cut or has expired.
 */
final class PassClipHandler {
  private final Vertx vertx;
  private final Pool pool;
  private final Path dataDir;

  PassClipHandler(Vertx vertx, Pool pool, Path dataDir) {
    this.vertx = vertx;
    this.pool = pool;
    this.dataDir = dataDir.toAbsolutePath().normalize();
  }

  /** What GET /passes/{id} tells of the clip: its URL and time mapping, or null. Blocking. */
  static Object describe(Path dataDir, String camera, UUID id) {
    return ClipFiles.find(dataDir, camera, id)
        .map(info -> info.toJson().put("url", ApiRouter.MOUNT_POINT + "/passes/" + id + "/clip"))
        .orElse(null);
  }

  void clip(RoutingContext ctx) {
    UUID id = Params.of(ctx).passId();
    String range = ctx.request().getHeader("range");
    pool.preparedQuery("SELECT camera FROM passes WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                throw ApiException.notFound("No pass has the id " + id + ".");
              }
              String camera = rows.iterator().next().getString("camera");
              return vertx.executeBlocking(() -> locate(camera, id), false);
            })
        .compose(
            file -> {
              HttpServerResponse response = ctx.response();
              ByteRange part;
              try {
                part = ByteRange.of(range, file.size());
              } catch (ApiException e) {
                response.putHeader("content-range", "bytes */" + file.size());
                throw e;
              }
              response
                  .putHeader("content-type", "video/mp4")
                  .putHeader("accept-ranges", "bytes")
                  .putHeader("cache-control", "private, max-age=3600")
                  .putHeader("x-clip-start-utc", String.valueOf(file.info().startUtc()));
              if (part == null) {
                return response.sendFile(file.path().toString());
              }
              response
                  .setStatusCode(206)
                  .putHeader("content-range", part.contentRange(file.size()));
              return response.sendFile(file.path().toString(), part.first(), part.length());
            })
        .onFailure(ctx::fail);
  }

  private record Clip(Path path, long size, ClipInfo info) {}

  private Clip locate(String camera, UUID id) throws java.io.IOException {
    ClipInfo info =
        ClipFiles.find(dataDir, camera, id)
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "no_clip",
                        "Pass " + id + " has no replay clip: it was not recorded or has expired."));
    Path video = ClipFiles.video(dataDir, camera, id);
    return new Clip(video, Files.size(video), info);
  }
}
