package io.stopsign.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.persist.Database;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.TestDb;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster as an operator runs it: four JVMs from the built jar on 127.0.0.1 (two analyzers, a
 * web node, a persist node) joined over Hazelcast TCP-IP, two looped road-clip cameras, one real
 * Postgres reachable by all. Kill -9 of an analyzer and a persist restart lose nothing.
 */
class ClusterProcessesTest {
  private static final Duration FAIL_OVER_LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** Run id of each metadata message per camera, in arrival order. */
  private final Map<String, List<String>> runsSeen = new ConcurrentHashMap<>();

  private final Set<String> passesSeen = ConcurrentHashMap.newKeySet();
  private final List<String> readyLog = new CopyOnWriteArrayList<>();
  private int httpPort;

  @AfterEach
  void killAll() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.kill9();
    }
  }

  private Path config(List<Integer> clusterPorts) throws Exception {
    String clip = Fixtures.path("media/road-cars-720p30.mp4").toString();
    String camera =
        """
          - id: %s
            source: %s
            loop: true
            stop_zone: [[320, 540], [1150, 540], [1230, 640], [330, 640]]
            pre_stop_line: [[300, 500], [1100, 500]]
            capture_line: [[320, 590], [1190, 590]]
        """;
    String yaml =
        """
        http: {host: 127.0.0.1, port: %d}
        db: {url: "%s", pool_size: 2}
        model: {path: %s, family: fastestdet, threads: 1}
        cluster:
          enabled: true
          host: 127.0.0.1
          members: [%s]
        cameras:
        %s%s"""
            .formatted(
                httpPort,
                TestDb.url(),
                Fixtures.path("models/fastestdet.onnx"),
                String.join(", ", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList()),
                camera.formatted("camA", clip),
                camera.formatted("camB", clip));
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private NodeProcess start(String name, String roles, int port, int http, Path config)
      throws Exception {
    NodeProcess node =
        NodeProcess.start(
            name, dir, config, roles, port, Map.of("STOPSIGN_HTTP_PORT", Integer.toString(http)));
    nodes.add(node);
    return node;
  }

  private JsonObject ready() {
    return new JsonObject(get(httpPort, "/ready", "{}"));
  }

  private String get(int port, String path, String otherwise) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (Exception e) {
      return otherwise;
    }
  }

  private static JsonObject check(JsonObject ready, String id) {
    JsonArray checks = ready.getJsonArray("checks", new JsonArray());
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i);
      }
    }
    return new JsonObject();
  }

  /** The node analysing the camera per /ready on the web node, null unless it is UP. */
  private String holder(String camera) {
    JsonObject c = check(ready(), "camera." + camera);
    return "UP".equals(c.getString("status")) ? c.getJsonObject("data").getString("node") : null;
  }

  private void waitFor(String what, Duration limit, Supplier<Boolean> condition) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > end) {
        StringBuilder logs = new StringBuilder();
        for (NodeProcess n : nodes) {
          String out = n.output();
          logs.append("\n--- ").append(n.name).append(" (last lines)\n");
          logs.append(out.substring(Math.max(0, out.length() - 3000)));
        }
        throw new AssertionError("timed out waiting for " + what + "; /ready: " + ready() + logs);
      }
      Thread.sleep(500);
    }
  }

  private void connectWebSocket() throws Exception {
    http.newWebSocketBuilder()
        .buildAsync(
            URI.create("ws://127.0.0.1:" + httpPort + "/ws"),
            new WebSocket.Listener() {
              private final StringBuilder text = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                  onMessage(new JsonObject(text.toString()));
                  text.setLength(0);
                }
                ws.request(1);
                return null;
              }
            })
        .get();
  }

  private void onMessage(JsonObject message) {
    String camera = message.getString("camera");
    if (camera == null) {
      return;
    }
    if ("pass".equals(message.getString("type"))) {
      passesSeen.add(message.getString("id"));
    } else if (message.containsKey("run_id")) {
      runsSeen
          .computeIfAbsent(camera, c -> new CopyOnWriteArrayList<>())
          .add(message.getString("run_id"));
    }
  }

  private String lastRun(String camera) {
    List<String> runs = runsSeen.getOrDefault(camera, List.of());
    return runs.isEmpty() ? null : runs.get(runs.size() - 1);
  }

  private static Connection jdbc() throws Exception {
    Database db = TestDb.get();
    return DriverManager.getConnection(db.jdbcUrl(), "postgres", "postgres");
  }

  private static Set<String> storedPasses() throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM passes")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static int duplicatePasses() throws Exception {
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM (SELECT 1 FROM passes GROUP BY camera, run_id, track_id,"
                    + " entry_ts_utc HAVING count(*) > 1) d")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  @DisplayName(
      "two analyzers, a web and a persist JVM: each camera on exactly one analyzer, kill -9 of camA's"
          + " analyzer moves camA to the other within 30 s with /ready saying why, a persist restart"
          + " loses no pass, and each pass is stored exactly once")
  void clusterOfFourJvms() throws Exception {
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM passes WHERE camera IN ('camA', 'camB')");
    }
    httpPort = NodeProcess.freePortPair();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ports.add(NodeProcess.freePortPair());
    }
    Path config = config(ports);
    List<Integer> probePorts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      probePorts.add(NodeProcess.freePortPair());
    }
    start("persist", "persist", ports.get(0), probePorts.get(0), config);
    start("web", "web", ports.get(1), httpPort, config);
    NodeProcess a1 = start("analyzer1", "analyzer", ports.get(2), probePorts.get(1), config);
    NodeProcess a2 = start("analyzer2", "analyzer", ports.get(3), probePorts.get(2), config);

    waitFor(
        "both cameras analysed, one on each analyzer",
        Duration.ofMinutes(4),
        () -> {
          String a = holder("camA");
          String b = holder("camB");
          return a != null && b != null && !a.equals(b);
        });
    connectWebSocket();
    waitFor(
        "metadata of both cameras on the web node's WebSocket",
        Duration.ofSeconds(60),
        () -> lastRun("camA") != null && lastRun("camB") != null);
    runsSeen.clear();
    Thread.sleep(3000);
    assertThat(new HashSet<>(runsSeen.get("camA")))
        .as("camA is decoded by one analyzer: one decode run in its metadata")
        .hasSize(1);
    assertThat(new HashSet<>(runsSeen.get("camB"))).hasSize(1);

    // a scrape can take seconds on a loaded machine: retry until one answers
    AtomicReference<String> scraped = new AtomicReference<>("");
    waitFor(
        "an analyzer's /metrics answering",
        Duration.ofSeconds(60),
        () -> {
          scraped.set(get(probePorts.get(1), "/metrics", ""));
          return scraped.get().contains("stopsign_cluster_members");
        });
    String metrics = scraped.get();
    assertThat(metrics)
        .as("an analyzer's own /metrics")
        .contains("stopsign_cluster_members 4.0")
        .contains("stopsign_camera_lease{camera=\"camA\",node=\"" + a1.node() + "\"}")
        .contains("stopsign_camera_lease_moves_total");
    String holderA = holder("camA");
    NodeProcess victim = holderA.equals(a1.node()) ? a1 : a2;
    NodeProcess survivor = victim == a1 ? a2 : a1;
    String runBefore = lastRun("camA");
    long killedAt = System.nanoTime();
    victim.kill9();
    waitFor(
        "camA analysed again by " + survivor.name + " and on the WebSocket",
        Duration.ofSeconds(60),
        () -> {
          JsonObject c = check(ready(), "camera.camA");
          readyLog.add(c.encode());
          String run = lastRun("camA");
          return survivor.node().equals(c.getJsonObject("data", new JsonObject()).getString("node"))
              && "UP".equals(c.getString("status"))
              && run != null
              && !run.equals(runBefore);
        });
    Duration failOver = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf("camA fail-over after kill -9: %.1f s%n", failOver.toMillis() / 1e3);
    assertThat(failOver).as("fail-over time").isLessThan(FAIL_OVER_LIMIT);
    assertThat(readyLog)
        .as("/ready said camA was down, and why, before the survivor took it")
        .anySatisfy(
            c -> {
              JsonObject check = new JsonObject(c);
              assertThat(check.getString("status")).isEqualTo("DOWN");
              assertThat(check.getJsonObject("data").getString("reason")).isNotBlank();
            });
    assertThat(holder("camB")).isEqualTo(survivor.node());

    NodeProcess persist = nodes.get(0);
    persist.stop();
    Thread.sleep(10_000); // passes keep coming while persistence is away
    nodes.set(
        0,
        NodeProcess.start(
            "persist2",
            dir,
            config,
            "persist",
            ports.get(0),
            Map.of("STOPSIGN_HTTP_PORT", Integer.toString(probePorts.get(0)))));
    waitFor(
        "the database reported up again",
        Duration.ofMinutes(2),
        () -> "UP".equals(check(ready(), "db").getString("status")));
    Thread.sleep(10_000);
    Set<String> seen = Set.copyOf(passesSeen);
    assertThat(seen).as("passes made by the cameras while the test ran").isNotEmpty();
    waitFor(
        "every pass seen live stored in the database",
        Duration.ofSeconds(90),
        () -> {
          try {
            return storedPasses().containsAll(seen);
          } catch (Exception e) {
            return false;
          }
        });
    assertThat(duplicatePasses()).as("no pass stored twice").isZero();
    System.out.printf(
        "passes seen live: %d, all stored once across an analyzer kill and a persist restart%n",
        seen.size());
  }
}
