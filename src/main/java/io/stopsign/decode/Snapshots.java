package io.stopsign.decode;

import io.stopsign.bus.Addresses;
import io.stopsign.media.SnapshotRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * A camera's pictures on request, from its decoder's ring of full-resolution frames, encoded on a
 * worker: pass snapshots written under the data directory (local to the analyzer) and the zone
 * editor's still picture answered as JPEG bytes to whichever node of the cluster asks.
 */
final class Snapshots {
  /** Failure code of a still-frame request before the camera's first decoded frame. */
  static final int NO_FRAME_YET = 409;

  private final Vertx vertx;
  private final String camera;
  private final FrameRing ring;
  private final Path dataDir;

  Snapshots(Vertx vertx, String camera, FrameRing ring, Path dataDir) {
    this.vertx = vertx;
    this.camera = camera;
    this.ring = ring;
    this.dataDir = dataDir;
  }

  /** Registers both answers; they go away with the verticle that registered them. */
  Future<?> register() {
    MessageConsumer<Object> files =
        vertx.eventBus().localConsumer(Addresses.snapshots(camera), this::onSnapshot);
    MessageConsumer<Object> still =
        vertx.eventBus().consumer(Addresses.stillFrame(camera), this::onStillFrame);
    return Future.all(files.completion(), still.completion());
  }

  private void onSnapshot(Message<Object> message) {
    long seq;
    String relative;
    Path target;
    try {
      SnapshotRequest request =
          message.body() instanceof SnapshotRequest r
              ? r
              : SnapshotRequest.fromJson(message.body() instanceof JsonObject json ? json : null);
      seq = request.seq();
      relative = request.path();
      target = SnapshotPaths.resolve(dataDir, relative);
    } catch (RuntimeException e) {
      message.fail(
          400, "bad snapshot request: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return;
    }
    vertx
        .executeBlocking(
            () -> {
              RawPicture picture = kept(seq);
              SnapshotWriter.writeJpeg(picture, target);
              return picture;
            },
            false)
        .onSuccess(
            p ->
                message.reply(
                    new JsonObject()
                        .put("path", relative)
                        .put("seq", p.seq())
                        .put("ts_utc", p.tsUtc())
                        .put("width", p.width())
                        .put("height", p.height())))
        .onFailure(e -> message.fail(500, "snapshot failed: " + e.getMessage()));
  }

  private void onStillFrame(Message<Object> message) {
    vertx
        .executeBlocking(
            () -> {
              RawPicture picture = kept(Long.MAX_VALUE);
              return new Still(
                  picture.width(),
                  picture.height(),
                  Buffer.buffer(SnapshotWriter.encodeJpeg(picture)));
            },
            false)
        .onSuccess(
            still ->
                message.reply(
                    still.jpeg(),
                    new DeliveryOptions()
                        .addHeader(Addresses.FRAME_WIDTH_HEADER, Integer.toString(still.width()))
                        .addHeader(
                            Addresses.FRAME_HEIGHT_HEADER, Integer.toString(still.height()))))
        .onFailure(e -> message.fail(e instanceof NoFrameYet ? NO_FRAME_YET : 500, e.getMessage()));
  }

  /** The newest kept picture, encoded. */
  private record Still(int width, int height, Buffer jpeg) {}

  private RawPicture kept(long seq) {
    return ring.nearest(seq).orElseThrow(NoFrameYet::new);
  }

  /** The ring is empty: the camera has not decoded its first frame in this process. */
  private static final class NoFrameYet extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NoFrameYet() {
      super("no frame decoded yet");
    }
  }
}
