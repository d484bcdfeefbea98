package io.stopsign.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.media.MediaTap;
import io.stopsign.media.SessionInfo;
import io.stopsign.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlsStreamTest {
  private static final InputGeometry SMALL = new InputGeometry(96, 96, true);

  @TempDir Path tmp;

  /** A playlist entry as read back from index.m3u8. */
  record Entry(Instant programDateTime, double duration, String file, boolean discontinuity) {}

  static List<Entry> entries(String m3u8) {
    List<Entry> out = new ArrayList<>();
    Instant pdt = null;
    double duration = 0;
    boolean discontinuity = false;
    for (String line : m3u8.split("\n")) {
      if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
        pdt = Instant.parse(line.substring(line.indexOf(':') + 1));
      } else if (line.startsWith("#EXTINF:")) {
        duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
      } else if (line.equals("#EXT-X-DISCONTINUITY")) {
        discontinuity = true;
      } else if (!line.startsWith("#") && !line.isBlank()) {
        out.add(new Entry(pdt, duration, line, discontinuity));
        pdt = null;
        discontinuity = false;
      }
    }
    return out;
  }

  /**
   * Plays {@code source} unpaced through an HlsStream for {@code frames} frames; returns the
   * frames' capture times.
   */
  private static List<Double> play(SourceSpec source, Path dir, int frames) throws Exception {
    List<Double> ts = new ArrayList<>();
    try (HlsStream hls = new HlsStream("cam1", dir)) {
      try (FrameSource s =
          FrameSource.open(
              SourceOptions.of(source, "cam1", SMALL).withUnpaced(true).withLoop(true), hls)) {
        for (int i = 0; i < frames; i++) {
          Frame f = s.next();
          ts.add(f.tsUtc());
          f.release();
        }
      }
    }
    return ts;
  }

  /** Decodes a segment on its own with FFmpeg; returns the number of frames. */
  private static int decodeAlone(Path segment) throws Exception {
    int n = 0;
    try (FrameSource s =
        FrameSource.open(
            SourceOptions.of(SourceSpec.file(segment), "check", SMALL).withUnpaced(true), null)) {
      Frame f;
      while ((f = s.next()) != null) {
        n++;
        f.release();
      }
      assertThat(s.decodeErrors()).as("decode errors in " + segment.getFileName()).isZero();
      assertThat(s.codecName()).isEqualTo("h264");
    }
    return n;
  }

  /** Sizes and key flags of a file's video packets, in order. */
  private static List<String> packets(Path file) {
    List<String> out = new ArrayList<>();
    AVFormatContext ctx = new AVFormatContext(null);
    assertThat(avformat_open_input(ctx, file.toString(), null, (AVDictionary) null)).isZero();
    AVPacket p = av_packet_alloc();
    while (av_read_frame(ctx, p) >= 0) {
      out.add(p.size() + ((p.flags() & AV_PKT_FLAG_KEY) != 0 ? "K" : ""));
      av_packet_unref(p);
    }
    av_packet_free(p);
    avformat_close_input(ctx);
    return out;
  }

  @Test
  @DisplayName(
      "The clip (keyframes 8 s apart, so re-encoded) becomes 0.5 s segments stamped with capture"
          + " time, each decodable alone")
  void clipToPlaylist() throws Exception {
    Path dir = tmp.resolve("hls/cam1");
    List<Double> ts = play(SourceSpec.file(Fixtures.path("media/road-cars-720p30.mp4")), dir, 150);
    String m3u8 = Files.readString(dir.resolve("index.m3u8"));
    assertThat(m3u8)
        .startsWith("#EXTM3U\n#EXT-X-VERSION:3\n")
        .contains("#EXT-X-MEDIA-SEQUENCE:0\n");
    assertThat(m3u8).contains("#EXT-X-TARGETDURATION:1\n");
    List<Entry> entries = entries(m3u8);
    assertThat(entries).hasSizeGreaterThanOrEqualTo(4);
    assertThat(entries.get(0).programDateTime().toEpochMilli() / 1000.0)
        .isCloseTo(ts.get(0), within(0.002));
    double mediaTotal = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      assertThat(e.programDateTime()).as("PROGRAM-DATE-TIME of " + e.file()).isNotNull();
      if (i > 0) {
        Entry prev = entries.get(i - 1);
        double gap =
            (e.programDateTime().toEpochMilli() - prev.programDateTime().toEpochMilli()) / 1000.0;
        assertThat(gap)
            .as("date-time step = previous EXTINF")
            .isCloseTo(prev.duration(), within(0.002));
      }
      int frames = decodeAlone(dir.resolve(e.file()));
      assertThat(frames)
          .as("frames of " + e.file())
          .isCloseTo((int) Math.round(e.duration() * 30), within(1));
      mediaTotal += e.duration();
    }
    // keyframes on a fixed grid: openh264's own scene-cut keyframes must not stretch a segment
    assertThat(entries)
        .allSatisfy(
            e -> assertThat(e.duration()).isCloseTo(HlsStream.SEGMENT_SECONDS, within(0.001)));
    assertThat(m3u8)
        .as("two segments of hold-back")
        .contains("#EXT-X-SERVER-CONTROL:HOLD-BACK=1.000\n");
    try (FrameSource segment =
        FrameSource.open(
            SourceOptions.of(SourceSpec.file(dir.resolve(entries.get(0).file())), "check", SMALL),
            null)) {
      // re-encoded for watching at most 960 px wide, same aspect ratio as the camera
      assertThat(new int[] {segment.rawWidth(), segment.rawHeight()}).containsExactly(960, 540);
    }
    assertThat(mediaTotal).isCloseTo(150 / 30.0, within(0.1));
    assertThat(dir.resolve("index.m3u8.tmp")).doesNotExist();
  }

  @Test
  @DisplayName(
      "A source with 1 s keyframes is remuxed packet for packet into 1 s segments, no re-encode")
  void remuxesShortGop() throws Exception {
    Path source = TestStreams.h264Ts(tmp.resolve("gop1.ts"), 180, 1.0);
    Path dir = tmp.resolve("hls/remux");
    play(SourceSpec.file(source), dir, 150);
    String m3u8 = Files.readString(dir.resolve("index.m3u8"));
    assertThat(m3u8).contains("#EXT-X-TARGETDURATION:1\n");
    List<Entry> entries = entries(m3u8);
    assertThat(entries).hasSizeGreaterThanOrEqualTo(2);
    assertThat(entries.get(0).duration()).isCloseTo(1.0, within(0.01));
    assertThat(entries.get(1).duration()).isCloseTo(1.0, within(0.01));
    List<String> original = packets(source);
    List<String> first = packets(dir.resolve(entries.get(0).file()));
    List<String> second = packets(dir.resolve(entries.get(1).file()));
    assertThat(first.get(0)).endsWith("K");
    assertThat(first).hasSize(30);
    assertThat(second.get(0)).endsWith("K");
    // same coded pictures; the muxer may prepend SPS/PPS to keyframes, so compare the others
    for (int i = 1; i < 30; i++) {
      if (!first.get(i).endsWith("K")) {
        assertThat(first.get(i)).isEqualTo(original.get(i));
      }
      if (!second.get(i).endsWith("K")) {
        assertThat(second.get(i)).isEqualTo(original.get(30 + i));
      }
    }
    decodeAlone(dir.resolve(entries.get(1).file()));
  }

  @Test
  @DisplayName(
      "A stream whose keyframes stop coming is cut after 4 s and re-encoded from there on, marked"
          + " as a discontinuity")
  void switchesToEncoding() throws Exception {
    Path source = TestStreams.h264Ts(tmp.resolve("gop10.ts"), 300, 10.0);
    assertThat(packets(source).stream().filter(p -> p.endsWith("K")).count()).isEqualTo(1);
    Path dir = tmp.resolve("hls/switch");
    play(SourceSpec.file(source), dir, 270);
    List<Entry> entries = entries(Files.readString(dir.resolve("index.m3u8")));
    assertThat(entries.get(0).duration()).isBetween(4.0, 4.2);
    assertThat(entries.get(0).discontinuity()).isFalse();
    assertThat(entries.get(1).discontinuity()).isTrue();
    assertThat(entries.get(1).duration()).isCloseTo(HlsStream.SEGMENT_SECONDS, within(0.001));
    for (Entry e : entries) {
      decodeAlone(dir.resolve(e.file()));
    }
  }

  @Test
  @DisplayName(
      "A jump of the capture clock (decode re-anchored after a stall) cuts the segment there: no"
          + " segment outgrows 0.5 s and the next one carries the new date-time")
  void captureClockJump() throws Exception {
    Path dir = tmp.resolve("hls/jump");
    List<Double> ts = new ArrayList<>();
    try (HlsStream hls = new HlsStream("cam1", dir)) {
      MediaTap jumping =
          new MediaTap() {
            @Override
            public void onSessionStart(SessionInfo session) {
              hls.onSessionStart(session);
            }

            @Override
            public void onFrame(AVFrame frame, long seq, double tsUtc) {
              double t = ts.size() >= 40 ? tsUtc + 1.5 : tsUtc;
              ts.add(t);
              hls.onFrame(frame, seq, t);
            }

            @Override
            public void onSessionEnd() {
              hls.onSessionEnd();
            }
          };
      try (FrameSource s =
          FrameSource.open(
              SourceOptions.of(SourceSpec.parse("testpattern?size=320x240&rate=30"), "cam1", SMALL)
                  .withUnpaced(true),
              jumping)) {
        for (int i = 0; i < 120; i++) {
          s.next().release();
        }
      }
    }
    String m3u8 = Files.readString(dir.resolve("index.m3u8"));
    assertThat(m3u8).contains("#EXT-X-TARGETDURATION:1\n");
    List<Entry> entries = entries(m3u8);
    assertThat(entries.get(1).duration()).isCloseTo(0.5, within(0.001));
    assertThat(entries.get(2).duration()).as("cut at the jump").isCloseTo(10 / 30.0, within(0.001));
    assertThat(entries.get(3).programDateTime().toEpochMilli() / 1000.0)
        .as("stamped with the capture time after the jump")
        .isCloseTo(ts.get(40), within(0.002));
    assertThat(entries).allSatisfy(e -> assertThat(e.duration()).isLessThanOrEqualTo(0.501));
    for (Entry e : entries) {
      decodeAlone(dir.resolve(e.file()));
    }
  }
}
