package io.stopsign.judge;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a node with the database for the camera's stored geometry ({@link
 * Addresses#STORED_GEOMETRY}) when the judge starts, so a geometry saved in the zone editor wins
 * over the config file's from the first frame. Until some node answers (none deployed yet, the
 * database down) the file's geometry judges and the question is asked again every few seconds.
 */
public final class StoredGeometryLookup {
  private static final Logger LOG = LoggerFactory.getLogger(StoredGeometryLookup.class);
  static final long TIMEOUT_MS = 5_000;
  static final long RETRY_MS = 5_000;

  private final Vertx vertx;
  private final String camera;
  private final BiConsumer<JudgeConfig, Long> found;
  private long timer = -1;
  private boolean stopped;
  private boolean told;

  /**
   * @param found called on the caller's context with the stored geometry and its version, only when
   *     one is stored
   */
  public StoredGeometryLookup(Vertx vertx, String camera, BiConsumer<JudgeConfig, Long> found) {
    this.vertx = vertx;
    this.camera = camera;
    this.found = found;
  }

  /** Asks once; completes when answered or given up (then it asks again later). Never fails. */
  public Future<Void> start() {
    Promise<Void> first = Promise.promise();
    ask(first);
    return first.future();
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private void ask(Promise<Void> first) {
    vertx
        .eventBus()
        .<Object>request(
            Addresses.STORED_GEOMETRY,
            new JsonObject().put("camera", camera),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .onSuccess(
            reply -> {
              answered(reply.body());
              first.tryComplete();
            })
        .onFailure(
            e -> {
              first.tryComplete();
              if (!stopped) {
                if (!told) {
                  told = true;
                  LOG.info(
                      "camera {}: no stored geometry known yet ({}); the config file's judges, asking"
                          + " again in {} s",
                      camera,
                      e.getMessage(),
                      RETRY_MS / 1000);
                }
                timer = vertx.setTimer(RETRY_MS, id -> ask(Promise.promise()));
              }
            });
  }

  private void answered(Object body) {
    if (stopped || !(body instanceof JsonObject reply)) {
      return;
    }
    JsonObject geometry = reply.getJsonObject("geometry");
    if (geometry == null) {
      return;
    }
    try {
      found.accept(JudgeConfig.geometryFromJson(geometry), reply.getLong("version", 0L));
    } catch (ConfigException | ClassCastException e) {
      LOG.warn(
          "camera {}: the stored geometry does not load, the config file's judges: {}",
          camera,
          e.getMessage());
    }
  }
}
