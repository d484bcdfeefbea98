package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.TestDb;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source watchdog against a camera that accepts the connection and then sends nothing (a real
 * TCP listener on loopback): the open times out, /ready says why, and the service reconnects.
 */
class SilentSourceTest {
  @TempDir Path dataDir;

  @Test
  @DisplayName(
      "a silent RTSP camera: /ready names the timeout, the service reconnects, and it stays live")
  void silentListener() throws Exception {
    List<Long> accepted = new CopyOnWriteArrayList<>();
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try {
                    held.add(listener.accept()); // read nothing, answer nothing
                    accepted.add(System.nanoTime());
                  } catch (java.io.IOException e) {
                    return;
                  }
                }
              },
              "silent-camera");
      acceptor.setDaemon(true);
      acceptor.start();
      Path file = dataDir.resolve("stopsign.yaml");
      Files.writeString(
          file,
          ("http: {port: 0}\ndata_dir: %s\ndb: {url: \"%s\"}\nmodel: {path: %s, family: fastestdet}\n"
                  + "cameras:\n  - id: cam1\n    source: rtsp://127.0.0.1:%d/cam1\n")
              .formatted(
                  dataDir,
                  TestDb.url(),
                  Fixtures.path("models/fastestdet.onnx"),
                  listener.getLocalPort()));
      StopSignConfig config = ConfigLoader.load(file, null, Map.of(), new Properties());
      Service service =
          Service.start(config).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      try {
        WebClient client = WebClient.create(service.vertx());
        String reason = "";
        long detected = 0;
        for (int i = 0; i < 240 && (detected == 0 || accepted.size() < 2); i++) {
          Thread.sleep(250);
          JsonObject ready =
              client
                  .get(service.httpPort(), "127.0.0.1", "/ready")
                  .send()
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get(30, TimeUnit.SECONDS)
                  .bodyAsJsonObject();
          for (Object c : ready.getJsonArray("checks")) {
            JsonObject check = (JsonObject) c;
            String why = check.getJsonObject("data", new JsonObject()).getString("reason", "");
            if ("camera.cam1".equals(check.getString("id"))
                && "DOWN".equals(check.getString("status"))
                && why.startsWith("no answer within")
                && detected == 0) {
              reason = why;
              detected = System.nanoTime();
            }
          }
        }
        assertThat(accepted).as("connections the silent camera accepted").hasSizeGreaterThan(1);
        assertThat(reason).as("/ready reason for cam1").startsWith("no answer within");
        System.out.printf(
            "silent camera: /ready says '%s' %d ms after the connection; reconnect after %d ms%n",
            reason,
            TimeUnit.NANOSECONDS.toMillis(detected - accepted.get(0)),
            TimeUnit.NANOSECONDS.toMillis(accepted.get(1) - accepted.get(0)));
        assertThat(
                client
                    .get(service.httpPort(), "127.0.0.1", "/healthz")
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS)
                    .statusCode())
            .isEqualTo(200);
      } finally {
        service.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
