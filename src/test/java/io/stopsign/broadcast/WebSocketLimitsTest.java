package io.stopsign.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.stopsign.bus.Addresses;
import io.stopsign.ops.Meters;
import io.stopsign.web.WebStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Connection caps, server pings and aggregated client metrics of the live WebSocket. */
@ExtendWith(VertxExtension.class)
class WebSocketLimitsTest {
  @TempDir Path dataDir;
  private WebStack stack;
  private final List<TestSocket> sockets = new ArrayList<>();

  private void start(Vertx vertx, Map<String, String> limits) throws Exception {
    Map<String, String> config = new java.util.HashMap<>(limits);
    config.put("cameras", "[{id: cam1, source: testpattern}]");
    stack = WebStack.start(vertx, WebStack.config(dataDir, config), null);
  }

  @AfterEach
  void stop() throws Exception {
    for (TestSocket socket : sockets) {
      socket.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private TestSocket connect() throws Exception {
    TestSocket socket = TestSocket.connect(stack.vertx, stack.port, "/ws");
    sockets.add(socket);
    assertThat(socket.nextOfType("hello")).isNotNull();
    return socket;
  }

  /** A raw upgrade request: the status line and headers of the answer, and the socket. */
  private record Raw(Socket socket, String head) {}

  private Raw rawUpgrade() throws IOException {
    Socket socket = new Socket("127.0.0.1", stack.port);
    socket.setSoTimeout(20_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:"
                + stack.port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return new Raw(socket, head.toString(StandardCharsets.US_ASCII));
  }

  private void assertAllReceive(List<TestSocket> clients, long frame) throws Exception {
    stack
        .vertx
        .eventBus()
        .publish(Addresses.metadata("cam1"), WebSocketHubTest.metadata("cam1", frame, 1));
    for (TestSocket client : clients) {
      JsonObject m = client.next(x -> x.getLong("frame", -1L) == frame, 10_000);
      assertThat(m).as("a connected client keeps receiving").isNotNull();
    }
  }

  @Test
  @DisplayName(
      "a client over the per-address cap is refused 429 with Retry-After while the others keep"
          + " receiving; closing one gives its place back")
  void perAddressCap(Vertx vertx) throws Exception {
    start(vertx, Map.of("http.ws_max_clients_per_address", "2", "http.ws_max_clients", "10"));
    List<TestSocket> admitted = List.of(connect(), connect());
    Raw refused = rawUpgrade();
    refused.socket().close();
    assertThat(refused.head()).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after: 10");
    assertAllReceive(admitted, 1);
    assertThat(stack.hub.clientCount()).isEqualTo(2);
    admitted.get(0).close();
    admitted.get(0).closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
    TestSocket again = null;
    for (int i = 0; i < 100 && again == null; i++) {
      try {
        again = connect();
      } catch (Exception e) {
        Thread.sleep(100); // the server sees the close a moment after the client
      }
    }
    assertThat(again).as("a place is free again").isNotNull();
    assertAllReceive(List.of(admitted.get(1), again), 2);
  }

  @Test
  @DisplayName("over the total cap a connection is refused 503 while the others keep receiving")
  void totalCap(Vertx vertx) throws Exception {
    start(vertx, Map.of("http.ws_max_clients_per_address", "10", "http.ws_max_clients", "2"));
    List<TestSocket> admitted = List.of(connect(), connect());
    Raw refused = rawUpgrade();
    refused.socket().close();
    assertThat(refused.head()).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after:");
    assertAllReceive(admitted, 3);
  }

  @Test
  @DisplayName(
      "the server pings every ws_ping_seconds: a client that never answers is closed, one that"
          + " answers stays and keeps receiving")
  void pingsCloseSilentClients(Vertx vertx) throws Exception {
    start(vertx, Map.of("http.ws_ping_seconds", "1"));
    TestSocket answering = connect();
    Raw silent = rawUpgrade();
    assertThat(silent.head()).startsWith("HTTP/1.1 101");
    InputStream in = silent.socket().getInputStream();
    int pings = 0;
    int closeCode = -1;
    while (closeCode < 0) {
      int first = in.read();
      if (first < 0) {
        break;
      }
      int len = in.read() & 0x7f;
      if (len == 126) {
        len = (in.read() << 8) | in.read();
      }
      byte[] payload = in.readNBytes(len);
      int opcode = first & 0x0f;
      if (opcode == 0x9) {
        pings++;
      } else if (opcode == 0x8) {
        closeCode = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
      }
    }
    silent.socket().close();
    assertThat(pings).as("pings before the close").isGreaterThanOrEqualTo(2);
    assertThat(closeCode).isEqualTo(1001);
    assertAllReceive(List.of(answering), 4);
    assertThat(answering.socket.isClosed()).isFalse();
  }

  @Test
  @DisplayName("client metrics are aggregated: no meter series is named after a connection")
  void noSeriesPerConnection(Vertx vertx) throws Exception {
    start(vertx, Map.of());
    connect();
    connect();
    List<String> perConnection = new ArrayList<>();
    for (Meter meter : Meters.registry().getMeters()) {
      String queue = meter.getId().getTag("queue");
      if (queue != null && queue.startsWith("ws.")) {
        perConnection.add(meter.getId().toString());
      }
    }
    assertThat(perConnection).isEmpty();
    assertThat(Meters.registry().find("stopsign_ws_client_queued").gauge()).isNotNull();
    assertThat(Meters.registry().find("stopsign_ws_clients").gauge().value()).isEqualTo(2.0);
  }
}
