package io.stopsign;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.CameraConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the config file when it changes and applies what can change at run time — each camera's
 * zones, lines, calibration and thresholds — without restarting decode. A bad file is rejected with
 * the same one-line message as at start-up and the running config stays in force; other changes
 * (sources, model, ports) take effect at the next start. A judge keeps a geometry saved in the zone
 * editor over the file's and takes only the file's thresholds then (judge.JudgeSettings).
 */
public final class ConfigReloadVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloadVerticle.class);

  private final Path file;
  private final Callable<StopSignConfig> loader;
  private final long periodMs;
  private StopSignConfig running;
  private FileTime seen;
  private long timer = -1;

  /**
   * @param loader reads the file with the same stores as at start-up (file, env, system properties)
   */
  public ConfigReloadVerticle(
      Path file, StopSignConfig running, Callable<StopSignConfig> loader, long periodMs) {
    this.file = file;
    this.running = running;
    this.loader = loader;
    this.periodMs = periodMs;
  }

  @Override
  public Future<?> start() {
    return vertx
        .executeBlocking(() -> Files.getLastModifiedTime(file))
        .onSuccess(
            time -> {
              seen = time;
              timer = vertx.setPeriodic(periodMs, id -> check());
            });
  }

  private void check() {
    vertx
        .executeBlocking(
            () -> {
              FileTime time = Files.getLastModifiedTime(file);
              if (time.equals(seen)) {
                return null;
              }
              seen = time;
              return loader.call();
            })
        .onSuccess(
            config -> {
              if (config != null) {
                apply(config);
              }
            })
        .onFailure(
            e -> LOG.warn("config reload rejected, the running config stays: {}", e.getMessage()));
  }

  private void apply(StopSignConfig config) {
    int applied = 0;
    for (CameraConfig camera : config.cameras()) {
      boolean known = running.cameras().stream().anyMatch(c -> c.id().equals(camera.id()));
      if (!known) {
        LOG.warn("config reload: camera {} is new; it starts at the next start", camera.id());
        continue;
      }
      applied++;
      vertx
          .eventBus()
          .request(Addresses.cameraConfig(camera.id()), camera.judge())
          .onFailure(
              e ->
                  LOG.warn(
                      "config reload: camera {} refused the change: {}",
                      camera.id(),
                      e.getMessage()));
    }
    LOG.info(
        "config reloaded from {}: zones and thresholds of {} camera(s) applied", file, applied);
    running = config;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
