package io.stopsign.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.judge.TrackState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetadataJsonTest {

  private static FrameMetadata metadata(
      String camera, String runId, List<TrackState> tracks, List<double[]> zone, String unit) {
    return new FrameMetadata(
        camera, runId, 42, 1_764_062_860.123456, tracks, zone, 1280, 720, 352, 198, unit);
  }

  @Test
  @DisplayName("encode() writes exactly the text of toJson().encode() for generated frames")
  void sameTextAsTheJsonTree() {
    Random random = new Random(7);
    for (int n = 0; n < 200; n++) {
      List<TrackState> tracks = new ArrayList<>();
      for (int i = 0; i < random.nextInt(9); i++) {
        float x = random.nextFloat() * 1280;
        float y = random.nextFloat() * 720;
        tracks.add(
            new TrackState(
                random.nextInt(10_000),
                i % 3 == 0 ? "truck" : "car",
                random.nextFloat(),
                x,
                y,
                x + random.nextFloat() * 300,
                y + random.nextFloat() * 200,
                i % 4 == 0 ? Double.NaN : random.nextGaussian() * 30,
                random.nextGaussian() * 3,
                random.nextBoolean(),
                random.nextBoolean()));
      }
      List<double[]> zone =
          n % 2 == 0
              ? List.of()
              : List.of(new double[] {0, 0}, new double[] {640.5, 1e-7}, new double[] {1e9, 3});
      FrameMetadata m = metadata("cam-" + n, n % 5 == 0 ? null : "run-" + n, tracks, zone, "m/s");
      assertThat(m.encode()).isEqualTo(m.toJson().encode());
    }
  }

  @Test
  @DisplayName("strings are escaped as the JSON tree escapes them: quotes, backslash, controls")
  void escapesLikeJackson() {
    String odd = "a\"b\\c/d\u0001e\u001ff\ng\th\ri\bj\fk\u00e9l\u2028m\u007f";
    FrameMetadata m = metadata(odd, odd, List.of(), List.of(), odd);
    assertThat(m.encode()).isEqualTo(m.toJson().encode());
  }
}
