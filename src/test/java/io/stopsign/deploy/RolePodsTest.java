package io.stopsign.deploy;

import static io.stopsign.deploy.Manifests.at;
import static io.stopsign.deploy.Manifests.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.ConfigLoader;
import io.stopsign.Service;
import io.stopsign.StopSignConfig;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.TestDb;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each production role group's pod, run as one JVM here (cluster off): its probes' paths answer on
 * the port they name, and the metric its scaler reads is in its own scrape.
 */
class RolePodsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dataDir;

  @Test
  @DisplayName("a web pod serves its probes and exports the WebSocket clients KEDA scales it on")
  void webPod() throws Exception {
    assertServesProbes("stopsign-web", false, "stopsign_ws_clients");
  }

  // INTEGRATOR: enable with the cluster branch. Today a web-only process registers no readiness
  // check (cameras are checked by the analyzer, the database by persist), so its /ready is 204
  // with no body: ready, but it says nothing about the cameras and the database.
  @Test
  @Disabled("a web-only process's /ready reports no camera or database yet (issue 8)")
  @DisplayName("a web pod's /ready names every camera and the database")
  void webPodReportsEveryCheck() throws Exception {
    assertServesProbes("stopsign-web", true);
  }

  // INTEGRATOR: enable once every role serves /healthz, /ready and /metrics on http.port. Today
  // only the web role starts an HTTP server, so analyzer and persist pods would fail their
  // startup probe and be restarted forever; the analyzers' drop and camera metrics go unscraped.
  @Test
  @Disabled("analyzer- and persist-only processes serve no HTTP yet (only the web role does)")
  @DisplayName("analyzer and persist pods serve their probes; analyzers export what KEDA reads")
  void analyzerAndPersistPods() throws Exception {
    assertServesProbes(
        "stopsign-analyzer", true, "stopsign_frames_decoded_total", "stopsign_queue_dropped_total");
    assertServesProbes("stopsign-persist", false);
  }

  private void assertServesProbes(String deployment, boolean reportsEveryCheck, String... metrics)
      throws Exception {
    Map<String, Object> pod =
        Manifests.named(Manifests.render("production"), "Deployment", deployment);
    Map<String, Object> container = container(pod);
    List<Map<String, Object>> ports = at(container, "ports");
    Object httpPort =
        ports.stream()
            .filter(p -> "http".equals(p.get("name")))
            .findFirst()
            .orElseThrow()
            .get("containerPort");
    Map<String, String> env = KubernetesConfigTest.podEnvironment(container);
    StopSignConfig shipped =
        ConfigLoader.load(
            Manifests.K8S.resolve("base/config/stopsign.yaml"), null, env, new Properties());
    assertThat(shipped.http().port()).as("the port the probes name").isEqualTo(httpPort);

    // This machine, not a pod: one JVM (no cluster), loopback on a free port, the test database,
    // FastestDet, a looped clip.
    env.keySet().removeIf(k -> k.startsWith("STOPSIGN_CLUSTER_"));
    env.put("STOPSIGN_CLUSTER_ENABLED", "false");
    int port = freePort();
    env.put("STOPSIGN_HTTP_HOST", "127.0.0.1");
    env.put("STOPSIGN_HTTP_PORT", String.valueOf(port));
    env.put("STOPSIGN_DATA_DIR", dataDir.resolve(deployment).toString());
    env.put("STOPSIGN_DB_URL", TestDb.url());
    env.put("STOPSIGN_MODEL_PATH", Fixtures.path("models/fastestdet.onnx").toString());
    env.put("STOPSIGN_MODEL_FAMILY", "fastestdet");
    env.put(
        "STOPSIGN_CAMERAS",
        "[{\"id\": \"cam1\", \"loop\": true, \"source\": \""
            + Fixtures.path("media/road-cars-720p30.mp4")
            + "\"}]");
    StopSignConfig config =
        ConfigLoader.load(
            Manifests.K8S.resolve("base/config/stopsign.yaml"), null, env, new Properties());
    Service service =
        Service.start(config).toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
    try {
      for (String probe : List.of("startupProbe", "livenessProbe")) {
        String path = at(container, probe, "httpGet", "path");
        assertThat(get(port, path).statusCode()).as(deployment + " " + path).isEqualTo(200);
      }
      HttpResponse<String> ready = get(port, at(container, "readinessProbe", "httpGet", "path"));
      // The kubelet counts 200-399 as ready; 503 is a reasoned "not ready".
      int status = ready.statusCode();
      assertThat(status >= 200 && status < 400 || status == 503)
          .as("%s readiness answered %d: %s", deployment, status, ready.body())
          .isTrue();
      if (reportsEveryCheck) {
        assertThat(ready.body()).as(deployment + " /ready").contains("\"checks\"", "cam1");
      }
      String scrape = get(port, "/metrics").body();
      for (String metric : metrics) {
        assertThat(MetricsScrape.parse(scrape).names()).as(deployment).contains(metric);
      }
    } finally {
      service.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
