package io.stopsign.judge;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for a camera's new zones and thresholds on {@link Addresses#cameraConfig} (a {@link
 * JudgeConfig} record, or the JSON of {@link JudgeConfig#toJson()}, where the camera keys id, name,
 * source and loop may come along and are ignored). A valid config is handed to {@code apply} and
 * the reply (when asked) is {@code {"applied":true}}; a bad one fails with 400 and the one-line
 * reason, and the old config stays.
 */
public final class JudgeConfigUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(JudgeConfigUpdates.class);
  private static final List<String> CAMERA_KEYS = List.of("id", "name", "source", "loop");

  /** Registers the cluster-wide consumer; call on the context that owns the judge. */
  public static MessageConsumer<Object> listen(
      Vertx vertx, String camera, Consumer<JudgeConfig> apply) {
    return vertx
        .eventBus()
        .consumer(Addresses.cameraConfig(camera), message -> onUpdate(camera, message, apply));
  }

  private static void onUpdate(
      String camera, Message<Object> message, Consumer<JudgeConfig> apply) {
    JudgeConfig config;
    try {
      if (message.body() instanceof JudgeConfig update) {
        config = update;
      } else if (message.body() instanceof JsonObject body) {
        JsonObject json = body.copy();
        CAMERA_KEYS.forEach(json::remove);
        config = JudgeConfig.fromJson(json);
      } else {
        throw new ConfigException("camera config of " + camera + " must be a JSON object");
      }
    } catch (ConfigException e) {
      LOG.warn(
          "camera {}: new zone/threshold config refused, the old one stays: {}",
          camera,
          e.getMessage());
      if (message.replyAddress() != null) {
        message.fail(400, e.getMessage());
      }
      return;
    }
    apply.accept(config);
    LOG.info(
        "camera {}: zones and thresholds updated at run time (speeds in {})",
        camera,
        config.speedUnit());
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("applied", true).put("speed_unit", config.speedUnit()));
    }
  }

  private JudgeConfigUpdates() {}
}
