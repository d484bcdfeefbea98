package io.stopsign.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.judge.TrackState;
import io.stopsign.ops.Meters;
import io.stopsign.tracking.FrameMetadata;
import io.stopsign.web.WebStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class WebSocketHubTest {
  private static final String CAMERAS =
      "[{id: cam1, source: testpattern}, {id: cam2, source: testpattern}]";

  @TempDir Path dataDir;
  private WebStack stack;
  private final List<TestSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    stack =
        WebStack.start(
            vertx,
            WebStack.config(dataDir, Map.of("cameras", CAMERAS, "queues.ws_client", "64")),
            null);
  }

  @AfterEach
  void stop() throws Exception {
    for (TestSocket socket : sockets) {
      socket.close();
    }
    stack.close();
  }

  private TestSocket connect(String uri) throws Exception {
    return connect(uri, new WebSocketClientOptions());
  }

  private TestSocket connect(String uri, WebSocketClientOptions options) throws Exception {
    TestSocket socket = TestSocket.connect(stack.vertx, stack.port, uri, options);
    sockets.add(socket);
    socket.hello = socket.nextOfType("hello");
    assertThat(socket.hello).as("hello on " + uri).isNotNull();
    return socket;
  }

  static FrameMetadata metadata(String camera, long frame, int tracks) {
    List<TrackState> states = new ArrayList<>();
    for (int i = 0; i < tracks; i++) {
      states.add(
          new TrackState(
              40 + i, "car", 0.91f, 100 + i, 200, 300 + i, 400, 12.3, 1.57, i % 5 == 4, i == 0));
    }
    return new FrameMetadata(
        camera,
        "run-1",
        frame,
        1726179150.123 + frame / 30.0,
        states,
        List.of(new double[] {500, 400}, new double[] {800, 400}, new double[] {800, 600}),
        1920,
        1080,
        1280,
        720,
        "px/s");
  }

  private static boolean isMetadata(JsonObject m) {
    return !m.containsKey("type");
  }

  @Test
  @DisplayName(
      "a WebSocket client receives the seed-schema metadata and passes published on the bus, filtered by camera")
  void receivesSeedSchemaFiltered() throws Exception {
    TestSocket cam1Only = connect("/ws?camera=cam1");
    TestSocket everything = connect("/ws");
    stack.vertx.eventBus().publish(Addresses.metadata("cam2"), metadata("cam2", 7, 1));
    stack.vertx.eventBus().publish(Addresses.metadata("cam1"), metadata("cam1", 8, 2));
    JsonObject pass =
        new JsonObject()
            .put("id", "p-1")
            .put("camera", "cam2")
            .put("track_id", 42)
            .put("verdict", "full")
            .put("trajectory", new JsonArray().add(new JsonArray().add(1).add(2)));
    stack.vertx.eventBus().publish(Addresses.PASSES_LIVE, pass);

    JsonObject first = cam1Only.next(WebSocketHubTest::isMetadata, 5000);
    assertThat(first.getString("camera")).isEqualTo("cam1");
    assertThat(first.getLong("frame")).isEqualTo(8);
    assertThat(first.getDouble("ts_utc"))
        .isCloseTo(1726179150.123 + 8 / 30.0, org.assertj.core.data.Offset.offset(0.001));
    JsonObject track = first.getJsonArray("tracks").getJsonObject(0);
    assertThat(track.fieldNames())
        .contains("id", "bbox", "cls", "score", "speed", "direction", "is_parked", "in_zone");
    assertThat(track.getJsonArray("bbox").getList()).containsExactly(100.0, 200.0, 300.0, 400.0);
    assertThat(track.getBoolean("in_zone")).isTrue();
    assertThat(first.getJsonObject("zones").getJsonArray("stop").size()).isEqualTo(3);
    assertThat(first.getJsonObject("raw_dimensions").getInteger("w")).isEqualTo(1920);
    assertThat(first.getJsonObject("scaled_dimensions").getInteger("h")).isEqualTo(720);
    assertThat(first.getString("speed_unit")).isEqualTo("px/s");

    JsonObject a = everything.next(WebSocketHubTest::isMetadata, 5000);
    JsonObject b = everything.next(WebSocketHubTest::isMetadata, 5000);
    assertThat(List.of(a.getString("camera"), b.getString("camera")))
        .containsExactly("cam2", "cam1");
    JsonObject livePass = everything.nextOfType("pass");
    assertThat(livePass.getString("id")).isEqualTo("p-1");
    assertThat(livePass.getString("verdict")).isEqualTo("full");
    assertThat(livePass.containsKey("trajectory"))
        .as("trajectory stays out of the live message")
        .isFalse();

    assertThat(cam1Only.next(m -> true, 500)).as("cam1-only client sees nothing of cam2").isNull();
    assertThat(Meters.prometheus().scrape())
        .contains("stopsign_ws_clients")
        .contains("stopsign_ws_messages_sent_total")
        .contains("stopsign_last_timestamp_seconds{camera=\"cam1\",stage=\"ws_emit\"}");
  }

  @Test
  @DisplayName(
      "a slow client loses its oldest messages (counted) while a fast client receives every one")
  void slowClientDropsOldest() throws Exception {
    TestSocket fast = connect("/ws?camera=cam1");
    TestSocket slow =
        connect("/ws?camera=cam1", new WebSocketClientOptions().setReceiveBufferSize(4096));
    slow.socket.pause();
    // ~30 KB messages, 15 MB in all: more than the kernel and Netty buffer for a paused reader
    int total = 500;
    List<Long> fastFrames = new ArrayList<>();
    // publish in batches the fast reader confirms, so only the paused reader can fall behind
    for (long frame = 0; frame < total; ) {
      for (int i = 0; i < 25; i++, frame++) {
        stack.vertx.eventBus().publish(Addresses.metadata("cam1"), metadata("cam1", frame, 200));
      }
      while (fastFrames.size() < frame) {
        JsonObject m = fast.next(WebSocketHubTest::isMetadata, 10_000);
        assertThat(m).as("fast client message " + fastFrames.size()).isNotNull();
        fastFrames.add(m.getLong("frame"));
      }
    }
    assertThat(fastFrames)
        .as("fast client gets all, in order")
        .isSorted()
        .doesNotHaveDuplicates()
        .hasSize(total);

    String scrape = Meters.prometheus().scrape();
    assertThat(scrape).contains("stopsign_ws_messages_dropped_total");
    assertThat(droppedMetric(scrape)).as("dropped counter").isGreaterThan(0);
    String slowQueue = "ws." + slow.hello.getString("client");
    assertThat(stack.hub.droppedFor(slow.hello.getString("client"))).isGreaterThan(0);
    assertThat(stack.hub.droppedFor(fast.hello.getString("client"))).isZero();
    assertThat(scrape)
        .contains("stopsign_queue_dropped_total{camera=\"\",queue=\"" + slowQueue + "\"}");

    slow.socket.resume();
    List<Long> slowFrames = new ArrayList<>();
    JsonObject m;
    while ((m = slow.next(WebSocketHubTest::isMetadata, 2000)) != null) {
      slowFrames.add(m.getLong("frame"));
      if (m.getLong("frame") == total - 1) {
        break;
      }
    }
    assertThat(slowFrames)
        .as("slow client still ends with the newest message")
        .endsWith((long) total - 1);
    assertThat(slowFrames).isSorted().hasSizeLessThan(total);
  }

  private static double droppedMetric(String scrape) {
    return scrape
        .lines()
        .filter(l -> l.startsWith("stopsign_ws_messages_dropped_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  @DisplayName(
      "malformed client messages get an error reply and the connection survives; oversize ones close it with 1008")
  void malformedMessages() throws Exception {
    TestSocket client = connect("/ws?camera=cam1");
    for (String bad :
        List.of(
            "not json",
            "[1,2]",
            "{\"type\":\"dance\"}",
            "{\"cameras\":[\"cam1\"]}",
            "{\"type\":\"subscribe\",\"cameras\":\"cam1\"}",
            "{\"type\":\"subscribe\",\"cameras\":[\"../x\"]}")) {
      WebStack.await(client.socket.writeTextMessage(bad));
      JsonObject reply = client.nextOfType("error");
      assertThat(reply).as("reply to " + bad).isNotNull();
      assertThat(reply.getString("detail")).isNotBlank().doesNotContain("Exception");
    }
    WebStack.await(client.socket.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})));
    assertThat(client.nextOfType("error")).isNotNull();
    WebStack.await(client.socket.writeTextMessage("ping"));
    assertThat(client.nextOfType("pong")).isNotNull();

    WebStack.await(
        client.socket.writeTextMessage("{\"type\":\"subscribe\",\"cameras\":[\"cam2\"]}"));
    assertThat(client.nextOfType("subscribed").getJsonArray("cameras").getList())
        .containsExactly("cam2");
    stack.vertx.eventBus().publish(Addresses.metadata("cam1"), metadata("cam1", 1, 1));
    stack.vertx.eventBus().publish(Addresses.metadata("cam2"), metadata("cam2", 2, 1));
    assertThat(client.next(WebSocketHubTest::isMetadata, 5000).getString("camera"))
        .isEqualTo("cam2");

    WebStack.await(client.socket.writeTextMessage("x".repeat(10_000)));
    assertThat(client.closed.get(5, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    long deadline = System.currentTimeMillis() + 5000;
    while (stack.hub.clientCount() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(stack.hub.clientCount()).as("closed client removed").isZero();
  }
}
