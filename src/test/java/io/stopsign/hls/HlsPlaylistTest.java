package io.stopsign.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlsPlaylistTest {
  @TempDir Path dir;

  private HlsPlaylist.Segment segment(long seq, double duration, boolean discontinuity)
      throws Exception {
    String file = String.format("seg-%06d.ts", seq);
    Files.writeString(dir.resolve(file), "x");
    return new HlsPlaylist.Segment(seq, file, duration, 1_726_179_150.123 + 2 * seq, discontinuity);
  }

  @Test
  @DisplayName(
      "The playlist slides over the last 6 segments and deletes files that left it, after a grace"
          + " of 3")
  void slidingWindow() throws Exception {
    HlsPlaylist playlist = new HlsPlaylist(dir, 6, 3, 2);
    for (long i = 0; i < 12; i++) {
      playlist.add(segment(i, 2.0, false));
    }
    String m3u8 = Files.readString(dir.resolve("index.m3u8"));
    assertThat(m3u8)
        .startsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:6\n")
        .contains(
            "#EXT-X-PROGRAM-DATE-TIME:2024-09-12T22:12:42.123Z\n#EXTINF:2.000,\nseg-000006.ts\n")
        .doesNotContain("seg-000005.ts")
        .doesNotContain("DISCONTINUITY");
    assertThat(m3u8.lines().filter(l -> l.startsWith("#EXT-X-PROGRAM-DATE-TIME:")).count())
        .isEqualTo(6);
    assertThat(dir.resolve("seg-000002.ts")).doesNotExist();
    assertThat(dir.resolve("seg-000003.ts")).exists();
    assertThat(dir.resolve("index.m3u8.tmp")).doesNotExist();
  }

  @Test
  @DisplayName(
      "Discontinuities are tagged, counted once they leave, and a long segment raises the target"
          + " duration")
  void discontinuities() throws Exception {
    HlsPlaylist playlist = new HlsPlaylist(dir, 3, 1, 2);
    playlist.add(segment(0, 2.0, false));
    playlist.add(segment(1, 4.1, true));
    String m3u8 = playlist.render();
    assertThat(m3u8)
        .contains("#EXT-X-TARGETDURATION:4\n")
        .contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME");
    playlist.add(segment(2, 2.0, false));
    playlist.add(segment(3, 2.0, false));
    playlist.add(segment(4, 2.0, false));
    m3u8 = playlist.render();
    assertThat(m3u8)
        .contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n")
        .doesNotContain("#EXT-X-DISCONTINUITY\n");
    assertThat(m3u8).contains("#EXT-X-TARGETDURATION:4\n").contains("#EXT-X-MEDIA-SEQUENCE:2\n");
  }
}
