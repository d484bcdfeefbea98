package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

@ExtendWith(VertxExtension.class)
class ApiDocsTest {
  @TempDir static Path dataDir;
  static ApiHarness api;
  static String camera = ApiHarness.camera("docs");

  @BeforeAll
  static void start(Vertx vertx) {
    Map<String, Object> cam =
        Map.of(
            "id", camera,
            "source", "rtsp://admin:s3cret@10.0.0.5:554/stream1?token=abc",
            "stop_zone",
                List.of(List.of(500, 400), List.of(800, 400), List.of(800, 600), List.of(500, 600)),
            "pre_stop_line", List.of(List.of(500, 350), List.of(800, 350)),
            "capture_line", List.of(List.of(500, 500), List.of(800, 500)));
    Map<String, Object> file = Map.of("id", "lobby", "source", "/videos/secret-place.mp4");
    api =
        ApiHarness.start(
            vertx,
            Map.of(
                "data_dir", dataDir.toString(),
                "mediamtx", Map.of("base_url", "http://mediamtx.local:8888/"),
                "cameras", List.of(cam, file)));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  @DisplayName(
      "GET /api/openapi.yaml returns the document, which parses as an OpenAPI 3 contract with every"
          + " operation")
  void servesTheContract(Vertx vertx) {
    HttpResponse<Buffer> r = api.get("/api/openapi.yaml");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("application/yaml");
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(r.bodyAsString());
    JsonObject json = new JsonObject(Json.encode(tree));
    assertThat(json.getString("openapi")).startsWith("3.");
    assertThat(json.getJsonArray("servers").getJsonObject(0).getString("url")).isEqualTo("/api");
    // vertx-openapi wants absolute server URLs: the same adaptation the router uses
    OpenAPIContract contract =
        ApiHarness.await(OpenAPIContract.from(vertx, ApiDocs.forVertx(json)));
    assertThat(contract.getVersion()).isIn(OpenAPIVersion.V3_0, OpenAPIVersion.V3_1);
    assertThat(contract.operations().stream().map(Operation::getOperationId))
        .containsExactlyInAnyOrder(
            "listPasses",
            "getPass",
            "getPassSnapshot",
            "getPassClip",
            "getStats",
            "getRecords",
            "getSessionMetrics",
            "listCameras",
            "putCameraGeometry",
            "getCameraFrame",
            "rescorePasses");
  }

  @Test
  @DisplayName("every answer matches the schemas the document promises")
  void answersMatchTheContract(Vertx vertx) {
    JsonObject json =
        new JsonObject(
            Json.encode(
                new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(api.get("/api/openapi.yaml").bodyAsString())));
    ResponseValidator validator =
        ResponseValidator.create(
            vertx, ApiHarness.await(OpenAPIContract.from(vertx, ApiDocs.forVertx(json))));
    UUID id =
        api.insertPass(
            new ApiHarness.Pass(camera, Instant.parse("2024-09-12T10:00:00Z"))
                .snapshot("snapshots/a.jpg"));
    Map<String, String> calls =
        Map.of(
            "/api/passes?camera=" + camera,
            "listPasses",
            "/api/passes/" + id,
            "getPass",
            "/api/stats?camera=" + camera + "&from=2024-09-11T00:00:00Z&to=2024-09-13T00:00:00Z",
            "getStats",
            "/api/records?camera=" + camera + "&from=2024-09-11T00:00:00Z&to=2024-09-13T00:00:00Z",
            "getRecords",
            "/api/session-metrics?camera=" + camera,
            "getSessionMetrics",
            "/api/cameras",
            "listCameras",
            "/api/passes?limit=0",
            "listPasses",
            "/api/passes/" + UUID.randomUUID(),
            "getPass");
    calls.forEach(
        (uri, operation) -> {
          HttpResponse<Buffer> r = api.get(uri);
          ApiHarness.await(
              validator.validate(
                  ValidatableResponse.create(r.statusCode(), r.body(), "application/json"),
                  operation));
        });
  }

  @Test
  @DisplayName("GET /api/docs serves Swagger UI from its WebJar, pointed at /api/openapi.yaml")
  void swaggerUi() {
    HttpResponse<Buffer> page = api.get("/api/docs");
    assertThat(page.statusCode()).as(page.headers().toString()).isEqualTo(200);
    assertThat(page.followedRedirects()).isNotEmpty();
    assertThat(page.bodyAsString()).contains("swagger-ui-bundle.js").contains("stopsign-init.js");
    HttpResponse<Buffer> bundle = api.get("/api/docs/swagger-ui-bundle.js");
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.body().length()).isGreaterThan(100_000);
    assertThat(api.get("/api/docs/swagger-ui.css").statusCode()).isEqualTo(200);
    assertThat(api.get("/api/docs/stopsign-init.js").bodyAsString()).contains("../openapi.yaml");
  }

  @Test
  @DisplayName(
      "GET /api/cameras shows sources as scheme and host only, zones, and MediaMTX HLS and WHEP"
          + " URLs")
  void cameras() {
    HttpResponse<Buffer> r = api.get("/api/cameras");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.bodyAsString();
    assertThat(body)
        .doesNotContain("s3cret")
        .doesNotContain("admin")
        .doesNotContain("stream1")
        .doesNotContain("token")
        .doesNotContain("secret-place");
    JsonObject cam = r.bodyAsJsonArray().getJsonObject(0);
    assertThat(cam.getString("id")).isEqualTo(camera);
    assertThat(cam.getString("source")).isEqualTo("rtsp://10.0.0.5");
    assertThat(cam.getJsonArray("stop_zone").getJsonArray(2).getDouble(0)).isEqualTo(800.0);
    assertThat(cam.getJsonArray("capture_line")).hasSize(2);
    assertThat(cam.getString("speed_unit")).isEqualTo("px/s");
    assertThat(cam.getString("hls_url"))
        .isEqualTo("http://mediamtx.local:8888/" + camera + "/index.m3u8");
    assertThat(cam.getString("whep_url"))
        .isEqualTo("http://mediamtx.local:8889/" + camera + "/whep");
    JsonObject lobby = r.bodyAsJsonArray().getJsonObject(1);
    assertThat(lobby.getString("source")).isEqualTo("file");
    assertThat(lobby.getJsonArray("stop_zone")).isEmpty();
  }

  @Test
  @DisplayName("without MediaMTX the page plays the service's own HLS and has no WHEP URL")
  void embeddedPlayback() {
    String id = "cam1";
    JsonObject cam =
        CamerasHandler.camera(
            io.stopsign.camera.CameraConfig.from(
                io.stopsign.config.ConfigReader.of(
                    "cameras[0]", Map.of("id", id, "source", "testpattern"))),
            io.stopsign.camera.PlaybackUrls.EMBEDDED);
    assertThat(cam.getString("hls_url")).isEqualTo("/hls/cam1/index.m3u8");
    assertThat(cam.getValue("whep_url")).isNull();
    assertThat(cam.getString("source")).isEqualTo("testpattern");
    assertThat(CamerasHandler.shownSource("rtsp://u:p@ss@[::1]:8554/x")).isEqualTo("rtsp://[::1]");
    assertThat(CamerasHandler.shownSource("HTTPS://cam.example.com/live?key=1"))
        .isEqualTo("https://cam.example.com");
  }
}
