package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.RtspServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RtspSourceTest {

  @Test
  @DisplayName(
      "Frames from a real RTSP server arrive live, with increasing capture times that adopt the sender's RTCP clock")
  void rtspFrames() throws Exception {
    try (RtspServer server = RtspServer.start(Fixtures.path(FrameSourceTest.CLIP))) {
      SourceOptions options =
          SourceOptions.of(
              SourceSpec.parse(server.url()), "cam1", new InputGeometry(320, 320, true));
      try (FrameSource source = FrameSource.open(options, null)) {
        assertThat(source.rawWidth()).isEqualTo(1280);
        double previous = 0;
        double worstLag = 0;
        for (int i = 0; i < 150; i++) {
          Frame f = source.next();
          double now = System.currentTimeMillis() / 1000.0;
          assertThat(f.tsUtc()).as("frame %d", i).isGreaterThan(previous);
          if (i > 0) {
            // the step to the sender clock is slewed in: spacing stays within 25% of 33 ms
            assertThat(f.tsUtc() - previous)
                .as("spacing before frame %d", i)
                .isBetween(0.024, 0.043);
          }
          if (i > 30) {
            worstLag = Math.max(worstLag, Math.abs(now - f.tsUtc()));
          }
          previous = f.tsUtc();
          f.release();
        }
        assertThat(source.senderClock()).as("RTCP sender reports seen within 5 s").isTrue();
        assertThat(worstLag).as("capture time vs arrival, once live").isLessThan(1.0);
      }
    }
  }
}
