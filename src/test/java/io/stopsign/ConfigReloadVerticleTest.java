package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadVerticleTest {
  @TempDir Path dir;

  private static String camera(int zoneTop) {
    return "cameras:\n  - id: cam1\n    source: x.mp4\n    stop_zone: [[100, %d], [500, %d], [500, 400], [100, 400]]\n"
        .formatted(zoneTop, zoneTop);
  }

  private void write(Path file, String yaml, int secondsLater) throws Exception {
    Files.writeString(file, yaml);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }

  @Test
  @DisplayName(
      "a changed zone reaches the camera without a restart; a broken file is rejected and changes nothing")
  void reloadsZones() throws Exception {
    Path file = dir.resolve("stopsign.yaml");
    write(file, camera(200), 0);
    StopSignConfig running = ConfigLoader.load(file, null, Map.of(), new Properties());
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx.eventBus());
    try {
      LinkedBlockingQueue<JsonObject> updates = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<String> loads = new LinkedBlockingQueue<>();
      vertx
          .eventBus()
          .<JudgeConfig>consumer(
              Addresses.cameraConfig("cam1"),
              m -> {
                updates.add(m.body().toJson()); // the record, JSON only across JVMs
                m.reply(new JsonObject().put("applied", true));
              });
      vertx
          .deployVerticle(
              new ConfigReloadVerticle(
                  file,
                  running,
                  () -> {
                    try {
                      StopSignConfig loaded =
                          ConfigLoader.load(file, null, Map.of(), new Properties());
                      loads.add("loaded");
                      return loaded;
                    } catch (ConfigException e) {
                      loads.add("rejected: " + e.getMessage());
                      throw e;
                    }
                  },
                  100))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);

      write(file, "cameras:\n  - id: cam1\n    source: x.mp4\n    stop_zone: nonsense\n", 10);
      assertThat(loads.poll(30, TimeUnit.SECONDS)).startsWith("rejected: ").contains("stop_zone");

      write(file, camera(250), 20);
      JsonObject update = updates.poll(30, TimeUnit.SECONDS);
      assertThat(update).as("the good file after the broken one").isNotNull();
      // the first update is the good file's: the broken one published nothing before it
      assertThat(update.getJsonArray("stop_zone").getJsonArray(0).getDouble(1)).isEqualTo(250.0);
      assertThat(updates).as("nothing else was published").isEmpty();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
