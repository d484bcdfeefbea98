package io.stopsign.api;

import io.stopsign.bus.Addresses;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * A camera's raw frame size, read from the next frame metadata its tracking publishes (cluster
 * wide, so any web node learns it): what an edited geometry must lie inside.
 */
final class FrameSizes {
  static final long TIMEOUT_MS = 5_000;

  /** {width, height}; fails with 409 when no frame of the camera comes within the timeout. */
  static Future<int[]> next(Vertx vertx, String camera) {
    Promise<int[]> size = Promise.promise();
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.metadata(camera));
    long timer =
        vertx.setTimer(
            TIMEOUT_MS,
            id ->
                size.tryFail(
                    new ApiException(
                        409,
                        "camera_not_streaming",
                        "Camera "
                            + camera
                            + " sent no frame in the last "
                            + TIMEOUT_MS / 1000
                            + " s, so its frame size is unknown and the geometry cannot be"
                            + " checked against it; save it while the camera streams.")));
    consumer.handler(
        message -> {
          int[] wh = dimensions(message.body());
          if (wh != null) {
            size.tryComplete(wh);
          }
        });
    return size.future()
        .onComplete(
            x -> {
              vertx.cancelTimer(timer);
              consumer.unregister();
            });
  }

  private static int[] dimensions(Object body) {
    if (body instanceof FrameMetadata m) {
      return m.rawWidth() > 0 && m.rawHeight() > 0 ? new int[] {m.rawWidth(), m.rawHeight()} : null;
    }
    if (body instanceof JsonObject json
        && json.getValue("raw_dimensions") instanceof JsonObject r) {
      int w = r.getValue("w") instanceof Number n ? n.intValue() : 0;
      int h = r.getValue("h") instanceof Number n ? n.intValue() : 0;
      return w > 0 && h > 0 ? new int[] {w, h} : null;
    }
    return null;
  }

  private FrameSizes() {}
}
