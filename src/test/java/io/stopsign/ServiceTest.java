package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.ReadyChecks;
import io.stopsign.testing.RtspServer;
import io.stopsign.testing.RunningService;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as a whole, started in this JVM with every role, on real Postgres. */
class ServiceTest {
  @TempDir Path dataDir;

  /** The service with every role and FastestDet; {@code cameras} is YAML, maybe empty. */
  private RunningService start(String cameras) throws Exception {
    return RunningService.configured(
        dataDir,
        "model: {path: %s, family: fastestdet}\n".formatted(Fixtures.path("models/fastestdet.onnx"))
            + cameras);
  }

  private static int status(RunningService service, String path) throws Exception {
    return service.get(path, "*/*").statusCode();
  }

  @Test
  @DisplayName("with no camera configured the service starts, the page and /ready say so plainly")
  void noCamera() throws Exception {
    try (RunningService service = start("")) {
      assertThat(status(service, "/healthz")).isEqualTo(200);
      HttpResponse<String> ready = service.get("/ready", "*/*");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("no camera is configured");
      assertThat(status(service, "/")).isEqualTo(200);
    }
  }

  @Test
  @DisplayName(
      "an unreachable RTSP camera leaves the service up, /ready says why, and it connects once the camera appears")
  void unreachableCameraReconnects() throws Exception {
    int port = RtspServer.freePort();
    String url = "rtsp://127.0.0.1:" + port + "/cam1";
    try (RunningService service = start("cameras:\n  - id: cam1\n    source: " + url + "\n")) {
      JsonObject camera =
          ReadyChecks.await(
              service.port(),
              "camera.cam1",
              c -> !c.getJsonObject("data", new JsonObject()).getString("reason", "").isEmpty(),
              Duration.ofSeconds(30),
              "said why it is down");
      assertThat(camera.getString("status")).isEqualTo("DOWN");
      assertThat(status(service, "/ready")).isEqualTo(503);
      assertThat(status(service, "/healthz")).isEqualTo(200);
      try (RtspServer rtsp = RtspServer.start(Fixtures.path("media/road-cars-720p30.mp4"), port)) {
        ReadyChecks.await(
            service.port(),
            "camera.cam1",
            c -> "UP".equals(c.getString("status")),
            Duration.ofMinutes(1),
            "came UP once the camera appeared");
      }
    }
  }

  @Test
  @DisplayName(
      "/ready is open but shows a camera source like /api/cameras: no password, path or query")
  void readyRedactsSources() throws Exception {
    int port = RtspServer.freePort();
    String url = "rtsp://viewer:s3cret@127.0.0.1:" + port + "/private/cam?token=abc123";
    try (RunningService service = start("cameras:\n  - id: cam1\n    source: \"" + url + "\"\n")) {
      JsonObject camera =
          ReadyChecks.await(
              service.port(),
              "camera.cam1",
              c -> c.getJsonObject("data") != null,
              Duration.ofSeconds(30),
              "showed its source");
      String body = service.get("/ready");
      assertThat(camera.getJsonObject("data").getString("source")).isEqualTo("rtsp://127.0.0.1");
      assertThat(body).doesNotContain("s3cret", "abc123", "/private", String.valueOf(port));
    }
  }
}
