package io.stopsign.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AccessUnitsTest {
  private static AVPacket packet(long dts, boolean key, byte... data) {
    AVPacket p = av_packet_alloc();
    assertThat(av_new_packet(p, data.length)).isZero();
    p.data().put(data);
    p.dts(dts);
    p.pts(dts);
    p.flags(key ? AV_PKT_FLAG_KEY : 0);
    return p;
  }

  @Test
  @DisplayName(
      "packets sharing a timestamp (a picture's parameter sets and slices) leave as one picture,"
          + " keyframe if any part is, with the first part's capture time")
  void joinsOnePicture() throws Exception {
    List<String> out = new ArrayList<>();
    AccessUnits.Sink sink =
        (picture, tsUtc) -> {
          byte[] bytes = new byte[picture.size()];
          picture.data().get(bytes);
          StringBuilder s = new StringBuilder(picture.dts() + "@" + tsUtc + ":");
          for (byte b : bytes) {
            s.append(b);
          }
          out.add(s + ((picture.flags() & AV_PKT_FLAG_KEY) != 0 ? "K" : ""));
        };
    List<AVPacket> packets =
        List.of(
            packet(0, false, (byte) 1, (byte) 2),
            packet(0, true, (byte) 3),
            packet(0, false, (byte) 4),
            packet(3000, false, (byte) 5),
            packet(6000, false, (byte) 6),
            packet(6000, false, (byte) 7));
    try (AccessUnits pictures = new AccessUnits()) {
      double ts = 100;
      for (AVPacket p : packets) {
        pictures.add(p, ts++, sink);
      }
      assertThat(out).containsExactly("0@100.0:1234K", "3000@103.0:5");
      pictures.flush(sink);
      assertThat(out).hasSize(3).last().isEqualTo("6000@104.0:67");
      pictures.flush(sink);
      assertThat(out).as("nothing held after a flush").hasSize(3);
    } finally {
      packets.forEach(p -> av_packet_free(p));
    }
  }
}
