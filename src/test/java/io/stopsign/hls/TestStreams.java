package io.stopsign.hls;

import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.media.InputGeometry;
import io.stopsign.media.MediaTap;
import io.stopsign.media.SessionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * H.264 test streams with a chosen keyframe spacing, made from the built-in test pattern with
 * openh264.
 */
final class TestStreams {

  /**
   * Writes {@code frames} frames of a 320x240 30 fps pattern as one MPEG-TS file, keyframes {@code
   * gopSeconds} apart.
   */
  static Path h264Ts(Path file, int frames, double gopSeconds) throws Exception {
    SourceOptions options =
        SourceOptions.of(
                SourceSpec.parse("testpattern?size=320x240&rate=30"),
                "gen",
                new InputGeometry(64, 64, true))
            .withUnpaced(true);
    try (H264Encoder encoder = new H264Encoder(320, 240, 30, gopSeconds);
        TsMuxer muxer = new TsMuxer(encoder.parameters())) {
      muxer.startFile(file);
      MediaTap tap =
          new MediaTap() {
            long n;

            @Override
            public void onFrame(AVFrame frame, long seq, double tsUtc) {
              try {
                encoder.encode(frame, 3000 * n++, write(muxer));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }

            @Override
            public void onSessionStart(SessionInfo session) {}
          };
      try (FrameSource source = FrameSource.open(options, tap)) {
        for (int i = 0; i < frames; i++) {
          source.next().release();
        }
      }
      encoder.flush(write(muxer));
    }
    return file;
  }

  private static H264Encoder.PacketSink write(TsMuxer muxer) {
    return (AVPacket p) -> {
      p.duration(3000);
      muxer.write(p);
    };
  }

  private TestStreams() {}
}
