package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.Sample;
import io.stopsign.codec.Codecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class PassOutboxTest {
  @TempDir Path dir;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Persistence as the resender sees it: replies "written" and records the ids. */
  private static MessageConsumer<PassEvent> persistence(Vertx vertx, List<String> ids) {
    return vertx
        .eventBus()
        .consumer(
            Addresses.PASSES,
            m -> {
              ids.add(m.body().id().toString());
              m.reply(new JsonObject().put("stored", "written"));
            });
  }

  private static void awaitGone(Path file) throws InterruptedException {
    long end = System.currentTimeMillis() + 20_000;
    while (Files.exists(file) && System.currentTimeMillis() < end) {
      Thread.sleep(50);
    }
  }

  static PassEvent pass(String camera) {
    double exit = 1.7e9;
    return new PassEvent(
        UUID.randomUUID(),
        camera,
        UUID.randomUUID().toString(),
        7,
        exit,
        exit - 2.5,
        Verdict.ROLLING,
        2.5,
        0.25,
        1.125,
        9.5,
        "px/s",
        "slowed below the stop speed only briefly",
        List.of(new Sample(exit - 2.5, 1, 2, 30, 40), new Sample(exit, 5, 6, 35, 45)),
        "snapshots/" + camera + "/x.jpg");
  }

  private static UUID stored(Vertx vertx, Path outbox, String camera) throws Exception {
    PassEvent pass = pass(camera);
    await(new PassOutbox(vertx, outbox.resolve(camera)).keep(pass.id(), pass.toJson()));
    return pass.id();
  }

  @Test
  @DisplayName(
      "at start the analyzer sends every stored pass, of every camera folder (cameras it no longer"
          + " holds too), and a file goes once its pass is acknowledged")
  void resendsEveryCameraAtStart(Vertx vertx) throws Exception {
    Codecs.register(vertx.eventBus());
    Path outbox = dir.resolve("outbox");
    UUID held = stored(vertx, outbox, "cam1");
    UUID moved = stored(vertx, outbox, "moved-away");
    List<String> ids = new CopyOnWriteArrayList<>();
    await(persistence(vertx, ids).completion());

    await(vertx.deployVerticle(new OutboxResendVerticle(outbox)));
    awaitGone(outbox.resolve("cam1/" + held + ".json"));
    awaitGone(outbox.resolve("moved-away/" + moved + ".json"));

    assertThat(ids).containsExactlyInAnyOrder(held.toString(), moved.toString());
    assertThat(outbox.resolve("cam1/" + held + ".json")).as("acknowledged").doesNotExist();
    assertThat(outbox.resolve("moved-away/" + moved + ".json")).as("acknowledged").doesNotExist();
  }

  @Test
  @DisplayName(
      "with persistence away the stored pass waits on disk and is sent when persistence comes"
          + " back; a file written after the start is sent by a later round")
  void retriesUntilAcknowledged(Vertx vertx) throws Exception {
    Codecs.register(vertx.eventBus());
    Path outbox = dir.resolve("outbox");
    UUID early = stored(vertx, outbox, "cam2");
    List<String> ids = new CopyOnWriteArrayList<>();
    await(
        vertx.deployVerticle(
            new OutboxResendVerticle(outbox, Duration.ofMillis(200), Duration.ZERO)));
    assertThat(outbox.resolve("cam2/" + early + ".json")).as("no persistence yet").exists();

    await(persistence(vertx, ids).completion()); // persistence starts: a backoff retry finds it
    awaitGone(outbox.resolve("cam2/" + early + ".json"));
    assertThat(ids).contains(early.toString());

    UUID late = stored(vertx, outbox, "cam3");
    awaitGone(outbox.resolve("cam3/" + late + ".json"));
    assertThat(ids).contains(late.toString());
    assertThat(outbox.resolve("cam3/" + late + ".json")).doesNotExist();
  }

  @Test
  @DisplayName(
      "a periodic round leaves a file younger than its minimum age to the camera's own publisher;"
          + " the start round takes every file, and one that is not a pass is set aside")
  void periodicRoundsSkipYoungFiles(Vertx vertx) throws Exception {
    Path cam = dir.resolve("outbox/cam4");
    PassOutbox outbox = new PassOutbox(vertx, cam);
    PassEvent pass = pass("cam4");
    await(outbox.keep(pass.id(), pass.toJson()));
    Files.writeString(cam.resolve(UUID.randomUUID() + ".json"), "{\"id\":\"not a pass\"}");
    assertThat(await(outbox.load(Duration.ofHours(1))))
        .as("too young for a periodic round")
        .isEmpty();
    assertThat(await(outbox.load())).containsExactly(pass);
    try (var files = Files.list(cam)) {
      assertThat(files.filter(f -> f.toString().endsWith(".bad")).count())
          .as("a file that is not a pass is set aside")
          .isEqualTo(1);
    }
  }
}
