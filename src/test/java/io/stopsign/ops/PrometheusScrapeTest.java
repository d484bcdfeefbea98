package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.RtspServer;
import io.stopsign.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian package prometheus) scraping the running service on loopback every
 * second, with the alert rules loaded: every metric an alert or the dashboard reads is there.
 */
class PrometheusScrapeTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  @DisplayName(
      "Prometheus scrapes the service, evaluates every rule without error, and has every metric the alerts and dashboard name")
  void everyReferencedMetricIsScraped() throws Exception {
    Set<String> wanted = new TreeSet<>();
    for (String expr : MonitoringFiles.expressions()) {
      wanted.addAll(MonitoringFiles.metricNames(expr));
    }
    Set<String> conditional = new TreeSet<>();
    MetricsDocsTest.readme().values().stream()
        .filter(MetricsDocsTest.Documented::conditional)
        .forEach(d -> conditional.add(d.name()));
    wanted.removeIf(name -> conditional.stream().anyMatch(name::startsWith));
    assertThat(wanted).contains("stopsign_last_timestamp_seconds", "stopsign:stage_lag_seconds");

    try (RunningService service = RunningService.start(dir)) {
      service.scrapeUntil(s -> s.contains("stage=\"db_write\""), "the staleness chain");
      int port = RtspServer.freePort();
      Process prometheus = startPrometheus(service.port(), port);
      try {
        String base = "http://127.0.0.1:" + port;
        Set<String> missing = new TreeSet<>(wanted);
        for (int i = 0; i < 120 && !missing.isEmpty(); i++) {
          Thread.sleep(500);
          if (!prometheus.isAlive()) {
            throw new AssertionError("prometheus exited:\n" + log());
          }
          JsonArray names = query(base + "/api/v1/label/__name__/values");
          if (names != null) {
            missing.removeAll(names.getList());
          }
        }
        assertThat(missing).as("named in an alert or the dashboard, not scraped").isEmpty();
        List<String> unhealthy = new ArrayList<>();
        for (Object g : query(base + "/api/v1/rules").getJsonObject(0).getJsonArray("groups")) {
          for (Object r : ((JsonObject) g).getJsonArray("rules")) {
            JsonObject rule = (JsonObject) r;
            if (!"ok".equals(rule.getString("health"))) {
              unhealthy.add(rule.getString("name") + ": " + rule.getString("lastError"));
            }
          }
        }
        assertThat(unhealthy).as("rules Prometheus could not evaluate").isEmpty();
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(prometheus.isAlive()).isFalse();
      }
    }
  }

  private Process startPrometheus(int servicePort, int port) throws IOException {
    MonitoringFiles.writeRuleFile(dir);
    Files.writeString(
        dir.resolve("prometheus.yml"),
        """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: [stopsign.rules.yaml]
        scrape_configs:
          - job_name: stopsign
            static_configs: [{targets: ["127.0.0.1:%d"]}]
        """
            .formatted(servicePort));
    return new ProcessBuilder(
            "prometheus",
            "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=warn")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  /** The {@code data} of a Prometheus API answer, wrapped in an array when it is an object. */
  private JsonArray query(String url) throws InterruptedException {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return null;
      }
      Object data = new JsonObject(response.body()).getValue("data");
      return data instanceof JsonArray a ? a : new JsonArray().add(data);
    } catch (IOException e) {
      return null; // not listening yet
    }
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("prometheus.log"));
  }
}
