package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SourceSpecTest {

  @Test
  @DisplayName("RTSP is read over TCP with a socket timeout, video only, unpaced")
  void rtsp() {
    SourceSpec spec = SourceSpec.parse("rtsp://cam.local:554/stream1");
    assertThat(spec.kind()).isEqualTo(SourceSpec.Kind.RTSP);
    assertThat(spec.options())
        .containsEntry("rtsp_transport", "tcp")
        .containsEntry("timeout", "10000000")
        .containsEntry("allowed_media_types", "video");
    assertThat(spec.paced()).isFalse();
    assertThat(spec.local()).isFalse();
  }

  @Test
  @DisplayName(
      "HTTP sources get an I/O timeout and are paced (a plain file over HTTP would race ahead)")
  void http() {
    SourceSpec spec = SourceSpec.parse("https://example.org/cam/index.m3u8");
    assertThat(spec.kind()).isEqualTo(SourceSpec.Kind.NETWORK);
    assertThat(spec.options()).containsEntry("rw_timeout", "10000000");
    assertThat(spec.paced()).isTrue();
  }

  @Test
  @DisplayName("Paths and file: URLs are local files played in real time")
  void files() {
    assertThat(SourceSpec.parse("clips/a.mp4").url())
        .isEqualTo(Path.of("clips/a.mp4").toAbsolutePath().toString());
    assertThat(SourceSpec.parse("file:///tmp/a.mp4").url()).isEqualTo("/tmp/a.mp4");
    assertThat(SourceSpec.parse("clips/a.mp4").paced()).isTrue();
    assertThat(SourceSpec.parse("clips/a.mp4").display()).isEqualTo("clips/a.mp4");
  }

  @Test
  @DisplayName(
      "testpattern becomes FFmpeg's lavfi testsrc2; its options are checked, not passed through")
  void testPattern() {
    SourceSpec plain = SourceSpec.parse("testpattern");
    assertThat(plain.inputFormat()).isEqualTo("lavfi");
    assertThat(plain.url()).isEqualTo("testsrc2=size=1280x720:rate=30");
    assertThat(SourceSpec.parse("testpattern?size=640x360&rate=15").url())
        .isEqualTo("testsrc2=size=640x360:rate=15");
    assertThatThrownBy(() -> SourceSpec.parse("testpattern?size=640x360,movie=/etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("testpattern takes only");
    assertThatThrownBy(() -> SourceSpec.parse("testpattern?size=641x360"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be even");
  }

  @Test
  @DisplayName("Passwords never reach logs or health data")
  void redaction() {
    SourceSpec spec = SourceSpec.parse("rtsp://admin:s3cret@10.0.0.5:554/live");
    assertThat(spec.display()).isEqualTo("rtsp://admin:***@10.0.0.5:554/live");
    assertThat(spec.url()).contains("s3cret");
    assertThat(SourceSpec.redact("rtsp://10.0.0.5/live")).isEqualTo("rtsp://10.0.0.5/live");
  }
}
