package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.FrameTrace;
import io.stopsign.testing.OtlpCollector;
import io.stopsign.testing.OtlpCollector.ReceivedSpan;
import io.stopsign.testing.RunningService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service exporting over OTLP/HTTP to a real receiver on 127.0.0.1: a frame's stages
 * form one trace, and HTTP requests are traced by Vert.x.
 */
class TracingTest {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "one sampled frame yields decode, infer, track, judge, ws_broadcast and db_write in one trace, chained parent to child, with service, node and role; an API request is traced too")
  void frameStagesShareOneTrace() throws Exception {
    try (OtlpCollector collector = new OtlpCollector();
        RunningService service =
            RunningService.start(
                dir,
                "otel: {endpoint: \"%s\", sample_ratio: 1.0}\n".formatted(collector.endpoint()))) {
      Optional<Map<String, ReceivedSpan>> trace = Optional.empty();
      boolean httpTraced = false;
      for (int i = 0; i < 240 && (trace.isEmpty() || !httpTraced); i++) {
        Thread.sleep(500);
        service.get("/api/cameras");
        List<ReceivedSpan> spans = collector.spans();
        trace = FrameTrace.find(spans);
        httpTraced = spans.stream().anyMatch(s -> s.kind() == 2 && s.name().startsWith("GET"));
      }
      System.out.println(
          "spans received by name: "
              + new java.util.TreeMap<>(
                  collector.spans().stream()
                      .collect(Collectors.groupingBy(ReceivedSpan::name, Collectors.counting()))));
      assertThat(collector.errors()).isEmpty();
      assertThat(trace)
          .as("a trace with all of %s in %s", FrameTrace.STAGES, names(collector))
          .isPresent();
      Map<String, ReceivedSpan> stages = trace.get();
      FrameTrace.assertChained(stages);
      assertThat(stages.get("decode").attributes()).containsEntry("camera", "cam1");
      assertThat(stages.get("db_write").resource())
          .containsEntry("service.name", "stopsign")
          .containsEntry("node", "local")
          .containsEntry("role", "all");
      assertThat(httpTraced)
          .as("a server span for GET /api/cameras in " + names(collector))
          .isTrue();
    }
  }

  private static Set<String> names(OtlpCollector collector) {
    return collector.spans().stream().map(ReceivedSpan::name).collect(Collectors.toSet());
  }
}
