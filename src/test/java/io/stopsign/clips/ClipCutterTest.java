package io.stopsign.clips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.hls.HlsStream;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The road clip through real HLS segments into the recording, then cut into MP4 clips. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClipCutterTest {
  private static final int FRAMES = 360; // 12 s at 30 fps

  @TempDir static Path tmp;
  private Path recordings;
  private final List<Double> captured = new ArrayList<>();

  @BeforeAll
  void record() throws Exception {
    recordings = tmp.resolve("recordings/cam1");
    RecordingArchive archive = new RecordingArchive("cam1", recordings, Duration.ofMinutes(3));
    try (HlsStream hls = new HlsStream("cam1", tmp.resolve("hls/cam1")).onSegment(archive);
        FrameSource s =
            FrameSource.open(
                SourceOptions.of(
                        SourceSpec.file(Fixtures.path("media/road-cars-720p30.mp4")),
                        "cam1",
                        new InputGeometry(96, 96, true))
                    .withUnpaced(true)
                    .withLoop(true),
                hls)) {
      for (int i = 0; i < FRAMES; i++) {
        Frame f = s.next();
        captured.add(f.tsUtc());
        f.release();
      }
    }
  }

  private List<RecordedSegment> recorded() throws IOException {
    try (Stream<Path> files = Files.list(recordings)) {
      return files.map(RecordedSegment::parse).flatMap(java.util.Optional::stream).toList();
    }
  }

  @Test
  @DisplayName(
      "every finished segment is kept under recordings/ with its capture time, length and the camera's size in its name, past the live window")
  void recordsSegments() throws Exception {
    List<RecordedSegment> segments = recorded();
    // the live window keeps WINDOW segments at most; the recording keeps them all
    assertThat(segments).hasSizeGreaterThan(HlsStream.WINDOW);
    RecordedSegment first =
        segments.stream()
            .min(java.util.Comparator.comparingDouble(RecordedSegment::startUtc))
            .orElseThrow();
    assertThat(first.startUtc()).isCloseTo(captured.get(0), within(0.002));
    assertThat(first.sourceWidth()).isEqualTo(1280);
    assertThat(first.sourceHeight()).isEqualTo(720);
    assertThat(segments)
        .allSatisfy(
            s -> assertThat(s.seconds()).isCloseTo(HlsStream.SEGMENT_SECONDS, within(0.01)));
  }

  @Test
  @DisplayName(
      "a clip of [entry - 3 s, exit + 2 s] is one H.264 MP4 that FFmpeg decodes without error, covering the window from a keyframe before it")
  void cutsMp4() throws Exception {
    double entry = captured.get(0) + 5.2;
    double exit = entry + 2.5;
    List<RecordedSegment> run = ClipPlan.choose(recorded(), entry - 3, exit + 2, entry, exit);
    Path video = tmp.resolve("clips/cam1/pass.mp4");
    ClipInfo info = ClipCutter.cut(run, video);

    assertThat(info.startUtc()).isLessThanOrEqualTo(entry - 3).isGreaterThan(entry - 4.01);
    assertThat(info.endUtc()).isGreaterThanOrEqualTo(exit + 2 - 0.05);
    assertThat(info.sourceWidth()).isEqualTo(1280);
    Mp4Probe probe = Mp4Probe.of(video);
    assertThat(probe.format()).contains("mp4");
    assertThat(probe.codec()).isEqualTo("h264");
    assertThat(probe.errors()).isZero();
    assertThat(probe.seconds()).isCloseTo(info.seconds(), within(0.1));
    assertThat(probe.frames()).isCloseTo((int) Math.round(info.seconds() * 30), within(2));
    assertThat(new int[] {probe.width(), probe.height()})
        .containsExactly(info.width(), info.height());
    assertThat(info.bytes()).isEqualTo(Files.size(video));
    try (Stream<Path> left = Files.list(video.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("pass.mp4");
    }
  }

  @Test
  @DisplayName("a recording older than its keep time is deleted as newer segments arrive")
  void prunesByAge() throws Exception {
    Path dir = tmp.resolve("pruned");
    RecordingArchive archive = new RecordingArchive("cam1", dir, Duration.ofSeconds(3));
    List<RecordedSegment> inOrder = new ArrayList<>(recorded());
    inOrder.sort(java.util.Comparator.comparingDouble(RecordedSegment::startUtc));
    for (RecordedSegment s : inOrder) {
      archive.finished(
          new io.stopsign.hls.SegmentListener.Finished(
              s.file(), s.startUtc(), s.seconds(), false, 1280, 720));
    }
    try (Stream<Path> kept = Files.list(dir)) {
      // segments ending within 3 s of the newest one's start
      long within3s = Math.round(3 / HlsStream.SEGMENT_SECONDS);
      assertThat(kept.count()).isBetween(within3s - 1, within3s + 2);
    }
    assertThat(recorded()).as("the originals are untouched").hasSizeGreaterThan(HlsStream.WINDOW);
  }

  @Test
  @DisplayName("no segment for the window: no clip file, an error instead")
  void nothingRecorded() {
    Path video = tmp.resolve("clips/cam1/none.mp4");
    assertThatThrownBy(() -> ClipCutter.cut(List.of(), video))
        .hasMessageContaining("no recorded video");
    assertThat(video).doesNotExist();
  }
}
