package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.media.MediaTap;
import io.stopsign.media.SourceException;
import io.stopsign.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FrameSourceTest {
  static final String CLIP = "media/road-cars-720p30.mp4";
  private static final InputGeometry CENTERNET = new InputGeometry(512, 512, true);

  static SourceOptions clip(InputGeometry geometry) {
    return SourceOptions.of(SourceSpec.file(Fixtures.path(CLIP)), "cam1", geometry);
  }

  /** Reads up to {@code max} frames, keeping their metadata and releasing their buffers. */
  private static List<Frame> read(FrameSource source, int max) throws Exception {
    List<Frame> frames = new ArrayList<>();
    Frame f;
    while (frames.size() < max && (f = source.next()) != null) {
      frames.add(f);
      f.release();
    }
    return frames;
  }

  @Test
  @DisplayName(
      "The clip decodes to ~267 frames scaled once to the detector's content size, 33 ms apart")
  void decodesTheClip() throws Exception {
    try (FrameSource source = FrameSource.open(clip(CENTERNET).withUnpaced(true), null)) {
      assertThat(source.codecName()).isEqualTo("h264");
      assertThat(source.decoderThreads()).as("720p decodes on the calling thread").isEqualTo(1);
      assertThat(source.fps()).isCloseTo(30.0, within(0.01));
      List<Frame> frames = new ArrayList<>();
      long nonZero = 0;
      Frame f;
      while ((f = source.next()) != null) {
        if (frames.size() == 100) {
          ByteBuffer px = f.pixels();
          for (int i = 0; i < px.limit(); i++) {
            nonZero += px.get(i) != 0 ? 1 : 0;
          }
        }
        frames.add(f);
        f.release();
      }
      assertThat(frames).hasSizeBetween(265, 270);
      Frame first = frames.get(0);
      assertThat(first.rawWidth()).isEqualTo(1280);
      assertThat(first.rawHeight()).isEqualTo(720);
      assertThat(first.width()).isEqualTo(512);
      assertThat(first.height()).isEqualTo(288);
      assertThat(first.pixels().capacity()).isEqualTo(512 * 288 * 3);
      assertThat(first.pixels().isDirect()).isTrue();
      assertThat(first.camera()).isEqualTo("cam1");
      assertThat(nonZero).as("non-zero bytes of frame 100").isGreaterThan(512 * 288 * 3 / 2);
      for (int i = 1; i < frames.size(); i++) {
        assertThat(frames.get(i).seq()).isEqualTo(frames.get(i - 1).seq() + 1);
        assertThat(frames.get(i).runId()).isEqualTo(first.runId());
        double dt = frames.get(i).tsUtc() - frames.get(i - 1).tsUtc();
        assertThat(dt).as("spacing before frame %d", i).isCloseTo(1 / 30.0, within(0.002));
      }
      assertThat(first.tsUtc()).isCloseTo(System.currentTimeMillis() / 1000.0, within(30.0));
      assertThat(source.decodeErrors()).isZero();
    }
  }

  @Test
  @DisplayName("A plain-resize geometry gets exactly its size, letterboxing keeps the aspect ratio")
  void geometries() throws Exception {
    try (FrameSource stretched =
            FrameSource.open(clip(new InputGeometry(352, 352, false)).withUnpaced(true), null);
        FrameSource boxed =
            FrameSource.open(clip(new InputGeometry(640, 640, true)).withUnpaced(true), null)) {
      Frame a = stretched.next();
      Frame b = boxed.next();
      assertThat(new int[] {a.width(), a.height()}).containsExactly(352, 352);
      assertThat(new int[] {b.width(), b.height()}).containsExactly(640, 360);
      a.release();
      b.release();
    }
  }

  @Test
  @DisplayName(
      "Tiles' geometry (detect_width 1280) keeps a 320x240 camera at its own size and shrinks"
          + " only a larger one, aspect kept")
  void tilesNeverEnlargeASmallCamera() throws Exception {
    InputGeometry tiles = InputGeometry.atMost(1280); // TiledDetector.input() with detect_width
    SourceOptions small =
        SourceOptions.of(SourceSpec.parse("testpattern?size=320x240&rate=30"), "cam1", tiles)
            .withUnpaced(true);
    try (FrameSource pattern = FrameSource.open(small, null);
        FrameSource road = FrameSource.open(clip(tiles).withUnpaced(true), null);
        FrameSource narrower =
            FrameSource.open(clip(InputGeometry.atMost(960)).withUnpaced(true), null)) {
      Frame a = pattern.next();
      Frame b = road.next();
      Frame c = narrower.next();
      assertThat(new int[] {a.width(), a.height()}).containsExactly(320, 240);
      assertThat(a.pixels().capacity()).isEqualTo(320 * 240 * 3);
      assertThat(new int[] {b.width(), b.height()}).containsExactly(1280, 720);
      assertThat(new int[] {c.width(), c.height()}).containsExactly(960, 540);
      a.release();
      b.release();
      c.release();
    }
  }

  @Test
  @DisplayName("A file plays at real-time speed: no frame comes before its capture time")
  void pacedInRealTime() throws Exception {
    try (FrameSource source = FrameSource.open(clip(new InputGeometry(320, 320, true)), null)) {
      // each frame comes no earlier than its capture time (anchor + pts): pacing holds however
      // far decoding falls behind on a loaded machine, so no upper bound on the time is asserted
      double firstTs = 0;
      double lastTs = 0;
      for (int i = 0; i < 45; i++) {
        Frame frame = source.next();
        double now = System.currentTimeMillis() / 1000.0;
        assertThat(frame).isNotNull();
        frame.release();
        assertThat(now)
            .as("frame %d delivered before its capture time", i)
            .isGreaterThanOrEqualTo(frame.tsUtc() - 0.02);
        firstTs = i == 0 ? frame.tsUtc() : firstTs;
        lastTs = frame.tsUtc();
      }
      assertThat(lastTs - firstTs).as("45 frames of a 30 fps clip span").isGreaterThan(1.3);
    }
  }

  @Test
  @DisplayName(
      "While the detector will be busy past the next frame, frames are decoded for the taps but"
          + " not scaled or handed on; once it is free, the next frame is")
  void skipsFramesTheBusyDetectorWouldNotTake() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    // busy for an hour during the first 5 frames, then free
    LongSupplier freeAt =
        () -> asked.incrementAndGet() <= 5 ? System.nanoTime() + 3_600_000_000_000L : 0L;
    List<Long> tapped = new ArrayList<>();
    MediaTap tap =
        new MediaTap() {
          @Override
          public void onFrame(AVFrame frame, long seq, double tsUtc) {
            tapped.add(seq);
          }
        };
    try (FrameSource source =
        FrameSource.open(clip(new InputGeometry(160, 160, true)).withDetectorFreeAt(freeAt), tap)) {
      Frame first = source.next();
      first.release();
      assertThat(first.seq()).isEqualTo(5);
      assertThat(source.framesSkipped()).isEqualTo(5);
      assertThat(tapped).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
      assertThat(source.next().seq()).isEqualTo(6);
      assertThat(source.framesSkipped()).isEqualTo(5);
    }
  }

  @Test
  @DisplayName("A looping file goes on past its end with continuous sequence and timestamps")
  void loops() throws Exception {
    try (FrameSource source =
        FrameSource.open(
            clip(new InputGeometry(160, 160, true)).withUnpaced(true).withLoop(true), null)) {
      List<Frame> frames = read(source, 400);
      assertThat(frames).hasSize(400);
      for (int i = 1; i < frames.size(); i++) {
        assertThat(frames.get(i).seq()).isEqualTo(frames.get(i - 1).seq() + 1);
        double dt = frames.get(i).tsUtc() - frames.get(i - 1).tsUtc();
        assertThat(dt).as("spacing before frame %d", i).isCloseTo(1 / 30.0, within(0.002));
      }
    }
  }

  @Test
  @DisplayName("A missing file fails to open with the reason 'file not found: <path>'")
  void missingFile() {
    SourceOptions options =
        SourceOptions.of(SourceSpec.parse("no/such/clip.mp4"), "cam1", CENTERNET);
    assertThatThrownBy(() -> FrameSource.open(options, null))
        .isInstanceOf(SourceException.class)
        .hasMessage("file not found: no/such/clip.mp4");
  }

  @Test
  @DisplayName("A file that is not video fails to open with FFmpeg's reason, no stack trace in it")
  void notVideo() {
    Path text = Fixtures.path("models/coco.names");
    SourceOptions options = SourceOptions.of(SourceSpec.file(text), "cam1", CENTERNET);
    assertThatThrownBy(() -> FrameSource.open(options, null))
        .isInstanceOf(SourceException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isNotBlank()
                    .doesNotContain("Exception")
                    .doesNotContain("\n"));
  }

  @Test
  @DisplayName("The built-in test pattern moves: consecutive frames differ")
  void testPattern() throws Exception {
    SourceOptions options =
        SourceOptions.of(
                SourceSpec.parse("testpattern?size=320x240&rate=30"),
                "cam1",
                new InputGeometry(320, 240, false))
            .withUnpaced(true);
    try (FrameSource source = FrameSource.open(options, null)) {
      Frame a = source.next();
      byte[] first = new byte[a.pixels().capacity()];
      a.pixels().get(0, first);
      a.release();
      read(source, 10);
      Frame b = source.next();
      byte[] later = new byte[b.pixels().capacity()];
      b.pixels().get(0, later);
      b.release();
      assertThat(a.rawWidth()).isEqualTo(320);
      assertThat(Arrays.equals(first, later)).isFalse();
      assertThat(b.tsUtc() - a.tsUtc()).isCloseTo(11 / 30.0, within(0.01));
    }
  }

  @Test
  @DisplayName("Released buffers are reused, and releasing a frame twice is harmless")
  void poolReuse() throws Exception {
    try (FrameSource source =
        FrameSource.open(clip(CENTERNET).withUnpaced(true).withPoolSize(4), null)) {
      Frame a = source.next();
      a.release();
      a.release();
      Frame b = source.next();
      assertThat(b.pixels()).isSameAs(a.pixels());
      Frame c = source.next();
      assertThat(c.pixels()).isNotSameAs(b.pixels());
      b.release();
      c.release();
    }
  }
}
