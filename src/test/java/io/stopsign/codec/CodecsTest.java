package io.stopsign.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.JsonMessage;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.Sample;
import io.stopsign.judge.PassEvent;
import io.stopsign.judge.Verdict;
import io.stopsign.media.SnapshotRequest;
import io.stopsign.ops.CameraEvent;
import io.stopsign.ops.SessionSample;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The records that cross JVMs: JSON on the wire, back equal; the same object inside one JVM. */
class CodecsTest {
  private static final double T = 1.7e9;

  static PassEvent pass() {
    return new PassEvent(
        UUID.randomUUID(),
        "cam1",
        UUID.randomUUID().toString(),
        12,
        T,
        T - 3.25,
        Verdict.FULL,
        3.25,
        1.5,
        0.0,
        11.75,
        "m/s",
        "came to a full stop",
        List.of(new Sample(T - 3.25, 10, 20, 110, 90), new Sample(T, 300, 22, 400, 95)),
        null);
  }

  static List<Object> samples() {
    return List.of(
        pass(),
        new CameraEvent(
            UUID.randomUUID(),
            T,
            "cam1",
            "source_state",
            null,
            new JsonObject().put("state", "DOWN").put("reason", "no data")),
        new CameraEvent(UUID.randomUUID(), T, "cam2", "zone_entry", 42L, null),
        new SessionSample(T, "cam1", UUID.randomUUID().toString(), 29.5, 14.75, 18, 61.5, 3, 0.8),
        new SnapshotRequest(1234, "snapshots/cam1/abc.jpg"),
        JudgeConfig.fromJson(
            new JsonObject(
                "{\"stop_zone\":[[10,10],[200,10],[200,120],[10,120]],"
                    + "\"pre_stop_line\":[],\"capture_line\":[]}")));
  }

  @SuppressWarnings("unchecked")
  private static <T> MessageCodec<T, T> codecOf(Object message) {
    return (MessageCodec<T, T>) Codecs.all().get(message.getClass());
  }

  private static JsonObject json(Object message) {
    if (message instanceof JudgeConfig c) {
      return c.toJson(); // camera and media are leaves: their records know no bus interface
    }
    return message instanceof SnapshotRequest r ? r.toJson() : ((JsonMessage) message).toJson();
  }

  @Test
  @DisplayName(
      "passes, events, session metrics, snapshot requests and zone/threshold updates each cross"
          + " the wire as JSON and come back with the same content; in-JVM delivery copies nothing")
  void roundTrips() {
    for (Object message : samples()) {
      MessageCodec<Object, Object> codec = codecOf(message);
      assertThat(codec).as("codec of " + message.getClass().getSimpleName()).isNotNull();
      Buffer wire = Buffer.buffer("prefix"); // a codec reads from the position it is given
      codec.encodeToWire(wire, message);
      Object back = codec.decodeFromWire(6, wire);
      assertThat(back).isInstanceOf(message.getClass());
      assertThat(json(back)).as(message.getClass().getSimpleName()).isEqualTo(json(message));
      if (!(message instanceof JudgeConfig)) { // its points are arrays: equal by content only
        assertThat(back).isEqualTo(message);
      }
      assertThat(codec.transform(message)).isSameAs(message);
    }
  }

  @Test
  @DisplayName("every record codec is registered on a node's event bus: records are sent as is")
  void registeredOnTheBus() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Codecs.register(vertx.eventBus());
      for (Object message : samples()) {
        String address = "codecs-test." + UUID.randomUUID();
        vertx.eventBus().consumer(address, m -> m.reply(m.body() == message));
        Object same =
            vertx
                .eventBus()
                .request(address, message)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .body();
        assertThat(same).as(message.getClass().getSimpleName()).isEqualTo(true);
      }
      assertThat(Map.copyOf(Codecs.all()).keySet())
          .as("every record sampled here has its codec")
          .containsAll(samples().stream().map(Object::getClass).toList());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
