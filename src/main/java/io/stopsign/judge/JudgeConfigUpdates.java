package io.stopsign.judge;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for a camera's new zones and thresholds on {@link Addresses#cameraConfig} (a {@link
 * JudgeConfig} record, or the JSON of {@link JudgeConfig#toJson()}, where the camera keys id, name,
 * source and loop may come along and are ignored). A valid config is handed to {@code apply} and
 * the reply (when asked) is {@code {"applied":true}}; a bad one fails with 400 and the one-line
 * reason, and the old config stays. A message with {@link Addresses#GEOMETRY_VERSION_HEADER} is the
 * zone editor's stored geometry, handed on with its version; without it, the config file's.
 */
public final class JudgeConfigUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(JudgeConfigUpdates.class);
  private static final List<String> CAMERA_KEYS = List.of("id", "name", "source", "loop");

  /**
   * Registers the cluster-wide consumer; call on the context that owns the judge. {@code apply}
   * gets the config and the stored geometry's version, or null for the config file's.
   */
  public static MessageConsumer<Object> listen(
      Vertx vertx, String camera, BiConsumer<JudgeConfig, Long> apply) {
    return vertx
        .eventBus()
        .consumer(Addresses.cameraConfig(camera), message -> onUpdate(camera, message, apply));
  }

  private static void onUpdate(
      String camera, Message<Object> message, BiConsumer<JudgeConfig, Long> apply) {
    JudgeConfig config;
    Long version;
    try {
      String header = message.headers().get(Addresses.GEOMETRY_VERSION_HEADER);
      version = header == null ? null : Long.valueOf(header);
      if (message.body() instanceof JudgeConfig update) {
        config = update;
      } else if (message.body() instanceof JsonObject body) {
        JsonObject json = body.copy();
        CAMERA_KEYS.forEach(json::remove);
        config = JudgeConfig.fromJson(json);
      } else {
        throw new ConfigException("camera config of " + camera + " must be a JSON object");
      }
    } catch (ConfigException | NumberFormatException e) {
      LOG.warn(
          "camera {}: new zone/threshold config refused, the old one stays: {}",
          camera,
          e.getMessage());
      if (message.replyAddress() != null) {
        message.fail(400, e.getMessage());
      }
      return;
    }
    apply.accept(config, version);
    LOG.info(
        "camera {}: {} updated at run time (speeds in {})",
        camera,
        version == null
            ? "zones and thresholds"
            : "geometry (zone editor, version " + version + ")",
        config.speedUnit());
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("applied", true).put("speed_unit", config.speedUnit()));
    }
  }

  private JudgeConfigUpdates() {}
}
