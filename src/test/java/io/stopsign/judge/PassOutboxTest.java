package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Test
  @DisplayName(
      "a pass kept on disk by an analyzer that died before persistence acknowledged it is sent"
          + " again by the next start, and its file goes once it is acknowledged")
  void survivesRestart(Vertx vertx) throws Exception {
    Path outbox = dir.resolve("outbox/cam1");
    UUID id = UUID.randomUUID();
    JsonObject pass = new JsonObject().put("id", id.toString()).put("camera", "cam1");
    await(new PassOutbox(vertx, outbox).keep(id, pass)); // the earlier run, killed before the ack
    assertThat(outbox.resolve(id + ".json")).exists();

    List<JsonObject> stored = new CopyOnWriteArrayList<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.PASSES,
                m -> {
                  stored.add(m.body());
                  m.reply(new JsonObject().put("stored", "written"));
                })
            .completion());
    PassPublisher next = new PassPublisher(vertx, "cam1", outbox);
    assertThat(await(next.resendStored())).isEqualTo(1);
    long end = System.currentTimeMillis() + 10_000;
    while (Files.exists(outbox.resolve(id + ".json")) && System.currentTimeMillis() < end) {
      Thread.sleep(50);
    }
    assertThat(stored).extracting(j -> j.getString("id")).containsExactly(id.toString());
    assertThat(outbox.resolve(id + ".json")).as("acknowledged: deleted").doesNotExist();
    assertThat(next.pending()).isZero();
  }
}
