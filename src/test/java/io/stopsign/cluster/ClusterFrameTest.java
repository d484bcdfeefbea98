package io.stopsign.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.TestDb;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zone editor's picture in a cluster: the web role in one JVM and the analyzer in another, from
 * the built jar, joined over Hazelcast TCP-IP on 127.0.0.1, one 320x240 test-pattern camera. The
 * web node asks the analyzer holding the camera for its newest frame over the event bus.
 */
class ClusterFrameTest {
  private static final String CAMERA = "fcam";
  private static final String FRAME = "/api/cameras/" + CAMERA + "/frame";

  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private int httpPort;

  @AfterEach
  void killAll() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.kill9();
    }
  }

  private Path config(int webCluster, int analyzerCluster) throws Exception {
    String yaml =
        """
        http: {host: 127.0.0.1, port: %d}
        db: {url: "%s", pool_size: 2}
        model: {path: %s, family: fastestdet, threads: 1}
        cluster:
          enabled: true
          host: 127.0.0.1
          members: [127.0.0.1:%d, 127.0.0.1:%d]
        cameras:
          - id: %s
            source: testpattern?size=320x240&rate=5
            stop_zone: [[10, 10], [200, 10], [200, 200], [10, 200]]
        """
            .formatted(
                httpPort,
                TestDb.url(),
                Fixtures.path("models/fastestdet.onnx"),
                webCluster,
                analyzerCluster,
                CAMERA);
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  @DisplayName(
      "GET /api/cameras/{id}/frame on a web-only JVM: 409 with a sentence while no analyzer holds"
          + " the camera, the analyzer JVM's JPEG of the camera's size once it decodes it, and 409"
          + " again (no hang) after that analyzer is killed")
  void frameFromAnotherJvm() throws Exception {
    httpPort = NodeProcess.freePortPair();
    int webCluster = NodeProcess.freePortPair();
    int analyzerCluster = NodeProcess.freePortPair();
    int analyzerHttp = NodeProcess.freePortPair();
    Path config = config(webCluster, analyzerCluster);
    nodes.add(NodeProcess.start("web", dir, config, "web", webCluster, Map.of()));

    HttpResponse<byte[]> alone =
        waitFor("the web node's API", Duration.ofMinutes(3), r -> r.statusCode() != 503);
    assertRefused(alone, "no analyzer decodes it now");

    NodeProcess analyzer =
        NodeProcess.start(
            "analyzer",
            dir,
            config,
            "analyzer",
            analyzerCluster,
            Map.of("STOPSIGN_HTTP_PORT", Integer.toString(analyzerHttp)));
    nodes.add(analyzer);
    HttpResponse<byte[]> frame =
        waitFor("a frame from the analyzer", Duration.ofMinutes(4), r -> r.statusCode() == 200);
    assertThat(frame.headers().firstValue("content-type")).hasValue("image/jpeg");
    assertThat(frame.headers().firstValue("x-frame-width")).hasValue("320");
    assertThat(frame.headers().firstValue("x-frame-height")).hasValue("240");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.body()));
    assertThat(image).as("a JPEG").isNotNull();
    assertThat(image.getWidth()).isEqualTo(320);
    assertThat(image.getHeight()).isEqualTo(240);

    analyzer.kill9();
    HttpResponse<byte[]> gone = get();
    assertRefused(gone, "");
  }

  private void assertRefused(HttpResponse<byte[]> response, String because) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    System.out.println("frame refused: " + response.statusCode() + " " + body);
    assertThat(response.statusCode()).as(body).isEqualTo(409);
    JsonObject error = new JsonObject(body);
    assertThat(error.getString("error")).isEqualTo("camera_not_streaming");
    assertThat(error.getString("detail")).startsWith("Camera " + CAMERA + ": ").contains(because);
    assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** The frame endpoint's answer; an HTTP timeout (a hang) fails the test. */
  private HttpResponse<byte[]> get() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + FRAME))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> waitFor(
      String what, Duration limit, Predicate<HttpResponse<byte[]>> done) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    HttpResponse<byte[]> last = null;
    while (System.nanoTime() < end) {
      try {
        last = get();
        if (done.test(last)) {
          return last;
        }
      } catch (IOException notListening) {
        // the node is still starting
      }
      Thread.sleep(500);
    }
    StringBuilder logs = new StringBuilder();
    for (NodeProcess n : nodes) {
      String out = n.output();
      logs.append("\n--- ").append(n.name).append(" (last lines)\n");
      logs.append(out.substring(Math.max(0, out.length() - 3000)));
    }
    throw new AssertionError(
        "timed out waiting for "
            + what
            + (last == null ? "" : "; last answer " + last.statusCode())
            + logs);
  }
}
