package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.OtlpCollector;
import io.stopsign.testing.OtlpCollector.ReceivedSpan;
import io.stopsign.testing.RunningService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency histograms keep the trace id of a sampled frame as exemplar: an OpenMetrics scrape of
 * the running service shows it on a bucket line, and it is the trace of a span the real OTLP/HTTP
 * receiver got.
 */
class ExemplarsTest {
  private static final String OPENMETRICS =
      "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

  /** Each latency histogram and the span it is recorded under. */
  private static final Map<String, String> HISTOGRAMS =
      Map.of(
          "stopsign_decode_latency_seconds", "decode",
          "stopsign_inference_latency_seconds", "infer",
          "stopsign_ws_send_latency_seconds", "ws_broadcast",
          "stopsign_db_batch_latency_seconds", "db_write");

  private static final Pattern EXEMPLAR =
      Pattern.compile(
          "^(\\w+)_bucket\\{[^}]*} \\S+ # \\{[^}]*trace_id=\"([0-9a-f]{32})\"[^}]*}.*$",
          Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  @DisplayName(
      "an OpenMetrics scrape shows a trace id on a bucket of the decode, inference, WebSocket send and DB batch histograms, each the trace of a span received over OTLP; the classic format shows none")
  void bucketsCarryTraceIds() throws Exception {
    try (OtlpCollector collector = new OtlpCollector();
        RunningService service =
            RunningService.start(
                dir,
                "otel: {endpoint: \"%s\", sample_ratio: 1.0}\n".formatted(collector.endpoint()))) {
      Map<String, String> matched = new HashMap<>();
      Map<String, String> seen = new HashMap<>();
      String scrape = "";
      for (int i = 0; i < 240 && matched.size() < HISTOGRAMS.size(); i++) {
        Thread.sleep(500);
        HttpResponse<String> response = service.get("/metrics", OPENMETRICS);
        assertThat(response.headers().firstValue("content-type").orElse(""))
            .startsWith("application/openmetrics-text");
        scrape = response.body();
        List<ReceivedSpan> spans = collector.spans();
        Matcher m = EXEMPLAR.matcher(scrape);
        while (m.find()) {
          String histogram = m.group(1);
          String span = HISTOGRAMS.get(histogram);
          if (span == null) {
            continue;
          }
          String traceId = m.group(2);
          seen.put(histogram, traceId);
          if (spans.stream().anyMatch(s -> s.traceId().equals(traceId) && s.name().equals(span))) {
            matched.put(histogram, traceId);
          }
        }
      }
      System.out.println("exemplar trace ids matched to received spans: " + matched);
      assertThat(collector.errors()).isEmpty();
      assertThat(matched)
          .as("exemplars seen %s in the last scrape:%n%s", seen, exemplarLines(scrape))
          .containsOnlyKeys(HISTOGRAMS.keySet());
      String classic = service.get("/metrics", "text/plain").body();
      assertThat(classic)
          .contains("stopsign_inference_latency_seconds_bucket")
          .doesNotContain("# {");
    }
  }

  private static String exemplarLines(String scrape) {
    return String.join("\n", scrape.lines().filter(l -> l.contains("# {")).limit(20).toList());
  }
}
