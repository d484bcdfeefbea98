package io.stopsign.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  private static List<byte[]> lines(String... texts) {
    return java.util.Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Test
  @DisplayName(
      "lines come back in order from any offset, in chunks, also when one line is longer than a chunk")
  void readsInOrder() throws Exception {
    try (Spool spool = new Spool(dir)) {
      String big = "x".repeat(5000);
      spool.append(lines("{\"a\":1}", big, "{\"é\":3}"), true);
      List<Spool.Line> first = spool.read(0, 10);
      assertThat(first).extracting(Spool.Line::text).containsExactly("{\"a\":1}");
      List<Spool.Line> rest = spool.read(first.get(0).end(), 100);
      assertThat(rest.get(0).text()).isEqualTo(big);
      List<Spool.Line> last = spool.read(rest.get(0).end(), 1 << 20);
      assertThat(last).extracting(Spool.Line::text).containsExactly("{\"é\":3}");
      assertThat(last.get(0).end()).isEqualTo(spool.size());
      spool.truncate();
      assertThat(spool.size()).isZero();
      assertThat(spool.read(0, 100)).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "a record torn by a crash (no newline) is cut off on open; whole records before it survive")
  void cutsTornTail() throws Exception {
    try (Spool spool = new Spool(dir)) {
      spool.append(
          IntStream.range(0, 3)
              .mapToObj(i -> ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
              .toList(),
          true);
    }
    Files.writeString(
        dir.resolve("spool/persist.spool"), "{\"n\":3, \"torn", StandardOpenOption.APPEND);
    try (Spool spool = new Spool(dir)) {
      assertThat(spool.read(0, 1 << 20))
          .extracting(Spool.Line::text)
          .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
      spool.append(lines("{\"n\":4}"), true);
      assertThat(spool.read(0, 1 << 20)).hasSize(4);
    }
  }

  @Test
  @DisplayName("a record round-trips through its spool line: detections columns, passes as JSON")
  void recordsRoundTrip() {
    DetectionRows rows = new DetectionRows();
    String run = java.util.UUID.randomUUID().toString();
    assertThat(rows.add(PersistFixtures.frame("c1", run, 5, PersistFixtures.T0 + 0.123456, 3)))
        .isNull();
    PersistRecord back = PersistRecord.fromLine(PersistRecord.detections(rows).toLine());
    assertThat(back.kind()).isEqualTo(PersistRecord.Kind.DETECTIONS);
    assertThat(back.detections().toJson()).isEqualTo(rows.toJson());
    assertThat(back.detections().tsMicros.get(0))
        .isEqualTo(Math.round((PersistFixtures.T0 + 0.123456) * 1e6));
    assertThat(rows.add(PersistFixtures.frame("c1", "not-a-uuid", 6, PersistFixtures.T0, 1)))
        .contains("run_id");
  }

  @Test
  @DisplayName("a track whose speed is not known yet is stored with a null speed, spooled alike")
  void unknownSpeed() {
    String run = java.util.UUID.randomUUID().toString();
    io.stopsign.judge.TrackState fresh =
        new io.stopsign.judge.TrackState(
            7, "car", 0.8f, 10, 20, 90, 80, Double.NaN, 0.0, false, false);
    DetectionRows rows = new DetectionRows();
    assertThat(
            rows.add(
                new io.stopsign.tracking.FrameMetadata(
                    "c1",
                    run,
                    1,
                    PersistFixtures.T0,
                    java.util.List.of(fresh),
                    java.util.List.of(),
                    1280,
                    720,
                    352,
                    352,
                    "px/s")))
        .isNull();
    assertThat(rows.speed).containsExactly((Float) null);
    PersistRecord back = PersistRecord.fromLine(PersistRecord.detections(rows).toLine());
    assertThat(back.detections().speed).containsExactly((Float) null);
    assertThat(fresh.toJson().containsKey("speed")).isTrue();
    assertThat(fresh.toJson().getValue("speed")).isNull();
    assertThat(io.stopsign.judge.TrackState.fromJson(fresh.toJson()).speed()).isNaN();
  }
}
