package io.stopsign.testing;

import io.stopsign.ConfigLoader;
import io.stopsign.Service;
import io.stopsign.StopSignConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The whole service in this JVM on the test database, one test-pattern camera {@code cam1} with a
 * stop zone, for tests that look at what it exports.
 */
public final class RunningService implements AutoCloseable {
  private final Service service;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningService(Service service) {
    this.service = service;
  }

  public static RunningService start(Path dataDir) throws Exception {
    return start(dataDir, "");
  }

  /** The same, with more top-level YAML (whole sections such as {@code otel: {...}}). */
  public static RunningService start(Path dataDir, String moreYaml) throws Exception {
    return configured(
        dataDir,
        ("model: {path: %s, family: fastestdet}\n"
                    + "cameras:\n  - id: cam1\n    source: testpattern?size=320x240&rate=10\n"
                    + "    stop_zone: [[10, 10], [200, 10], [200, 200], [10, 200]]\n")
                .formatted(Fixtures.path("models/fastestdet.onnx"))
            + moreYaml);
  }

  /**
   * The service on the test database, any free port, its data in {@code dataDir}, configured by
   * {@code sections}: the top-level YAML beyond http, data_dir and db (model, cameras, ...).
   */
  public static RunningService configured(Path dataDir, String sections) throws Exception {
    Path file = dataDir.resolve("stopsign.yaml");
    Files.writeString(
        file,
        "http: {port: 0}\ndata_dir: %s\ndb: {url: \"%s\"}\n".formatted(dataDir, TestDb.url())
            + sections);
    StopSignConfig config = ConfigLoader.load(file, null, Map.of(), new Properties());
    Service service =
        Service.start(config).toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
    return new RunningService(service);
  }

  public Service service() {
    return service;
  }

  /** The address of {@code path} on this service, as a browser opens it. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public int port() {
    return service.httpPort();
  }

  public String get(String path) throws Exception {
    return get(path, "*/*").body();
  }

  /** GET with an Accept header (a scraper asking for OpenMetrics). */
  public HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(30))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Scrapes /metrics until the scrape satisfies {@code done} (the pipeline has warmed up). */
  public String scrapeUntil(Predicate<String> done, String what) throws Exception {
    String scrape = "";
    for (int i = 0; i < 240; i++) {
      scrape = get("/metrics");
      if (done.test(scrape)) {
        return scrape;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("/metrics never showed " + what + ":\n" + scrape);
  }

  @Override
  public void close() throws Exception {
    service.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
