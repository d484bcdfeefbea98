package io.stopsign.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.OtlpCollector.ReceivedSpan;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** One frame's trace as an {@link OtlpCollector} receives it: a span per pipeline stage. */
public final class FrameTrace {
  /** The stage spans every sampled frame should yield, in pipeline order. */
  public static final List<String> STAGES =
      List.of("decode", "infer", "track", "judge", "ws_broadcast", "db_write");

  /** A trace among {@code spans} that holds every stage span, each stage's span by name. */
  public static Optional<Map<String, ReceivedSpan>> find(List<ReceivedSpan> spans) {
    Map<String, List<ReceivedSpan>> byTrace =
        spans.stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
    for (List<ReceivedSpan> trace : byTrace.values()) {
      Map<String, ReceivedSpan> byName =
          trace.stream()
              .filter(s -> STAGES.contains(s.name()))
              .collect(Collectors.toMap(ReceivedSpan::name, s -> s, (a, b) -> a));
      if (byName.keySet().containsAll(STAGES)) {
        return Optional.of(byName);
      }
    }
    return Optional.empty();
  }

  /** Asserts the stages chain parent to child: decode, infer, track, judge, then its two sinks. */
  public static void assertChained(Map<String, ReceivedSpan> stages) {
    assertThat(stages.get("decode").parentSpanId()).as("decode is the root").isEmpty();
    assertParent(stages, "infer", "decode");
    assertParent(stages, "track", "infer");
    assertParent(stages, "judge", "track");
    assertParent(stages, "ws_broadcast", "judge");
    assertParent(stages, "db_write", "judge");
  }

  private static void assertParent(Map<String, ReceivedSpan> stages, String child, String parent) {
    assertThat(stages.get(child).parentSpanId())
        .as(child + "'s parent is " + parent)
        .isEqualTo(stages.get(parent).spanId());
  }

  private FrameTrace() {}
}
