package io.stopsign.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.FrameTrace;
import io.stopsign.testing.OtlpCollector;
import io.stopsign.testing.OtlpCollector.ReceivedSpan;
import io.stopsign.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles in separate JVMs from the built jar on 127.0.0.1 (analyzer, web, persist), clustered over
 * Hazelcast TCP-IP, all exporting to one real OTLP/HTTP receiver: a frame's trace crosses them, its
 * context carried in the event-bus headers.
 */
class CrossJvmTracingTest {
  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void killAll() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.stop();
    }
  }

  private Path config(String otlp, List<Integer> clusterPorts) throws Exception {
    String yaml =
        """
        http: {host: 127.0.0.1, port: 0}
        db: {url: "%s", pool_size: 2}
        model: {path: %s, family: fastestdet, threads: 1}
        otel: {endpoint: "%s", sample_ratio: 1.0}
        cluster:
          enabled: true
          host: 127.0.0.1
          members: [%s]
        cameras:
          - id: xcam
            source: testpattern?size=320x240&rate=10
            stop_zone: [[10, 10], [200, 10], [200, 200], [10, 200]]
        """
            .formatted(
                TestDb.url(),
                Fixtures.path("models/fastestdet.onnx"),
                otlp,
                String.join(", ", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList()));
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  @DisplayName(
      "analyzer, web and persist JVMs: one frame's decode, infer, track, judge, ws_broadcast and db_write share one trace id, chained, each span from its own JVM's role and node")
  void oneTraceAcrossJvms() throws Exception {
    try (OtlpCollector collector = new OtlpCollector()) {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ports.add(NodeProcess.freePortPair());
      }
      Path config = config(collector.endpoint(), ports);
      List<String> roles = List.of("persist", "web", "analyzer");
      for (int i = 0; i < roles.size(); i++) {
        nodes.add(
            NodeProcess.start(roles.get(i), dir, config, roles.get(i), ports.get(i), Map.of()));
      }
      Optional<Map<String, ReceivedSpan>> trace = Optional.empty();
      long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (trace.isEmpty()
          && System.nanoTime() < end
          && nodes.stream().allMatch(NodeProcess::alive)) {
        Thread.sleep(1000);
        trace = FrameTrace.find(collector.spans());
      }
      System.out.println(
          "spans received by name and role: "
              + new TreeMap<>(
                  collector.spans().stream()
                      .collect(
                          Collectors.groupingBy(
                              s -> s.name() + "@" + s.resource().get("role"),
                              Collectors.counting()))));
      assertThat(collector.errors()).isEmpty();
      assertThat(trace)
          .as("a trace with all of %s; logs:%s", FrameTrace.STAGES, logs())
          .isPresent();
      Map<String, ReceivedSpan> stages = trace.get();
      FrameTrace.assertChained(stages);
      assertProcess(stages, "decode", "analyzer", ports.get(2));
      assertProcess(stages, "judge", "analyzer", ports.get(2));
      assertProcess(stages, "ws_broadcast", "web", ports.get(1));
      assertProcess(stages, "db_write", "persist", ports.get(0));
    }
  }

  private static void assertProcess(
      Map<String, ReceivedSpan> stages, String stage, String role, int clusterPort) {
    assertThat(stages.get(stage).resource())
        .as(stage + "'s process")
        .containsEntry("service.name", "stopsign")
        .containsEntry("role", role)
        .containsEntry("node", "127.0.0.1:" + clusterPort);
  }

  private String logs() {
    StringBuilder out = new StringBuilder();
    for (NodeProcess n : nodes) {
      String log = n.output();
      out.append("\n--- ").append(n.name).append(" (last lines)\n");
      out.append(log.substring(Math.max(0, log.length() - 3000)));
    }
    return out.toString();
  }
}
