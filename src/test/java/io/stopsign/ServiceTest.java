package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.RtspServer;
import io.stopsign.testing.TestDb;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as a whole, started in this JVM with every role, on real Postgres. */
class ServiceTest {
  @TempDir Path dataDir;

  private StopSignConfig config(String extraYaml) throws Exception {
    Path file = dataDir.resolve("stopsign.yaml");
    Files.writeString(
        file,
        "http: {port: 0}\ndata_dir: %s\ndb: {url: \"%s\"}\nmodel: {path: %s, family: fastestdet}\n%s"
            .formatted(dataDir, TestDb.url(), Fixtures.path("models/fastestdet.onnx"), extraYaml));
    return ConfigLoader.load(file, null, Map.of(), new Properties());
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private static HttpResponse<Buffer> get(WebClient client, int port, String path)
      throws Exception {
    return await(client.get(port, "127.0.0.1", path).send());
  }

  @Test
  @DisplayName("with no camera configured the service starts, the page and /ready say so plainly")
  void noCamera() throws Exception {
    Service service = await(Service.start(config("")));
    try {
      WebClient client = WebClient.create(service.vertx());
      assertThat(get(client, service.httpPort(), "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<Buffer> ready = get(client, service.httpPort(), "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("no camera is configured");
      assertThat(get(client, service.httpPort(), "/").statusCode()).isEqualTo(200);
    } finally {
      await(service.close());
    }
  }

  @Test
  @DisplayName(
      "an unreachable RTSP camera leaves the service up, /ready says why, and it connects once the camera appears")
  void unreachableCameraReconnects() throws Exception {
    int port = RtspServer.freePort();
    String url = "rtsp://127.0.0.1:" + port + "/cam1";
    Service service =
        await(Service.start(config("cameras:\n  - id: cam1\n    source: " + url + "\n")));
    try {
      WebClient client = WebClient.create(service.vertx());
      JsonObject camera = null;
      for (int i = 0; i < 40 && camera == null; i++) {
        HttpResponse<Buffer> ready = get(client, service.httpPort(), "/ready");
        JsonObject check = cameraCheck(ready.bodyAsJsonObject());
        if (ready.statusCode() == 503
            && check != null
            && !check.getJsonObject("data", new JsonObject()).getString("reason", "").isEmpty()) {
          camera = check;
        } else {
          Thread.sleep(250);
        }
      }
      assertThat(camera).as("camera check DOWN with a reason").isNotNull();
      assertThat(camera.getString("status")).isEqualTo("DOWN");
      assertThat(get(client, service.httpPort(), "/healthz").statusCode()).isEqualTo(200);
      try (RtspServer rtsp = RtspServer.start(Fixtures.path("media/road-cars-720p30.mp4"), port)) {
        Map<String, String> last = new HashMap<>();
        for (int i = 0; i < 120; i++) {
          JsonObject check =
              cameraCheck(get(client, service.httpPort(), "/ready").bodyAsJsonObject());
          last.put("check", String.valueOf(check));
          if (check != null && "UP".equals(check.getString("status"))) {
            return;
          }
          Thread.sleep(500);
        }
        throw new AssertionError("camera never came up: " + last.get("check"));
      }
    } finally {
      await(service.close());
    }
  }

  @Test
  @DisplayName(
      "/ready is open but shows a camera source like /api/cameras: no password, path or query")
  void readyRedactsSources() throws Exception {
    int port = RtspServer.freePort();
    String url = "rtsp://viewer:s3cret@127.0.0.1:" + port + "/private/cam?token=abc123";
    Service service =
        await(Service.start(config("cameras:\n  - id: cam1\n    source: \"" + url + "\"\n")));
    try {
      WebClient client = WebClient.create(service.vertx());
      JsonObject camera = null;
      String body = "";
      for (int i = 0; i < 40 && camera == null; i++) {
        HttpResponse<Buffer> ready = get(client, service.httpPort(), "/ready");
        body = ready.bodyAsString();
        JsonObject check = cameraCheck(ready.bodyAsJsonObject());
        if (check != null && check.getJsonObject("data") != null) {
          camera = check;
        } else {
          Thread.sleep(250);
        }
      }
      assertThat(camera).as(body).isNotNull();
      assertThat(camera.getJsonObject("data").getString("source")).isEqualTo("rtsp://127.0.0.1");
      assertThat(body).doesNotContain("s3cret", "abc123", "/private", String.valueOf(port));
    } finally {
      await(service.close());
    }
  }

  private static JsonObject cameraCheck(JsonObject ready) {
    for (Object c : ready.getJsonArray("checks")) {
      JsonObject check = (JsonObject) c;
      if ("camera.cam1".equals(check.getString("id"))) {
        return check;
      }
    }
    return null;
  }
}
