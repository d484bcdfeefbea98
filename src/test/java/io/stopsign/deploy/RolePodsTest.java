package io.stopsign.deploy;

import static io.stopsign.deploy.Manifests.at;
import static io.stopsign.deploy.Manifests.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.ConfigLoader;
import io.stopsign.Service;
import io.stopsign.StopSignConfig;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.TestDb;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each production role group's pod, run as one JVM here: its probes' paths answer on the port they
 * name, and every metric, label and grouping its ScaledObject's queries read is in its own scrape.
 * Web and persist run with the cluster off; the analyzer runs as a one-member cluster on loopback,
 * as in a pod, since only a clustered analyzer leases cameras and exports the lease metric.
 */
class RolePodsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dataDir;

  @Test
  @DisplayName("a web pod's /ready names every camera and the database; it exports what KEDA reads")
  void webPod() throws Exception {
    assertServesProbes(
        "stopsign-web", false, List.of("camera.cam1", "\"db\""), "stopsign_ws_clients");
  }

  @Test
  @DisplayName("analyzer and persist pods serve their probes; analyzers export what KEDA reads")
  void analyzerAndPersistPods() throws Exception {
    assertServesProbes(
        "stopsign-analyzer",
        true,
        List.of("camera.cam1"),
        "stopsign_frames_decoded_total",
        "stopsign_queue_dropped_total",
        "stopsign_camera_lease",
        "stopsign_cluster_members");
    assertServesProbes("stopsign-persist", false, List.of("\"db\""));
  }

  private void assertServesProbes(
      String deployment, boolean clustered, List<String> readyChecks, String... metrics)
      throws Exception {
    List<Map<String, Object>> docs = Manifests.render("production");
    Map<String, Object> pod = Manifests.named(docs, "Deployment", deployment);
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

    // This machine, not a pod: loopback on free ports, the test database, FastestDet, a looped
    // clip; a clustered pod is a cluster of one (no Kubernetes DNS to find others here).
    env.keySet().removeIf(k -> k.startsWith("STOPSIGN_CLUSTER_"));
    env.put("STOPSIGN_CLUSTER_ENABLED", String.valueOf(clustered));
    if (clustered) {
      env.put("STOPSIGN_CLUSTER_HOST", "127.0.0.1");
      env.put("STOPSIGN_CLUSTER_PORT", String.valueOf(freePortPair()));
    }
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
    assertThat(config.cluster().enabled()).isEqualTo(clustered);
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
      List<String> queries = scalerQueries(docs, deployment);
      // A leased camera starts a moment later and counters appear with the first frame: poll.
      await(
          () -> {
            String body = get(port, "/ready").body();
            assertThat(body)
                .as(deployment + " /ready")
                .contains("\"checks\"")
                .contains(readyChecks.toArray(String[]::new));
            MetricsScrape scrape = MetricsScrape.parse(get(port, "/metrics").body());
            assertThat(scrape.names()).as(deployment).containsAll(List.of(metrics));
            queries.forEach(scrape::assertServes);
          });
    } finally {
      service.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  /** The PromQL queries of the ScaledObjects that scale {@code deployment}. */
  private static List<String> scalerQueries(List<Map<String, Object>> docs, String deployment) {
    List<String> queries = new ArrayList<>();
    for (Map<String, Object> scaler : Manifests.ofKind(docs, "ScaledObject")) {
      if (deployment.equals(at(scaler, "spec", "scaleTargetRef", "name"))) {
        List<Map<String, Object>> triggers = at(scaler, "spec", "triggers");
        triggers.forEach(t -> queries.add(at(t, "metadata", "query")));
      }
    }
    return queries;
  }

  private interface Check {
    void verify() throws Exception;
  }

  /** Repeats {@code check} until it passes; its last failure is the test's after 3 minutes. */
  private static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      try {
        check.verify();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(500);
    }
  }

  /** A port p with p + 1 also free: Hazelcast on p, the event bus on p + 1. */
  private static int freePortPair() throws Exception {
    while (true) {
      int p = freePort();
      if (p < 65534) {
        try (ServerSocket next = new ServerSocket(p + 1)) {
          return p;
        } catch (IOException taken) {
          // try another
        }
      }
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
