package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.media.SourceException;
import io.stopsign.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged H.264 through the product's FrameSource: flipped bytes in the coded pictures and a file
 * cut in the middle of a picture. Decode survives, counts what it could not decode, and goes on.
 */
class BrokenStreamTest {
  /** moov first, then mdat: the index survives damage to the pictures and a cut. */
  private static final String CLIP = "media/highway-720p.mp4";

  @TempDir Path dir;

  private record Run(int frames, long errors, String failure) {}

  private static Run decode(Path file) throws Exception {
    SourceOptions options =
        SourceOptions.of(SourceSpec.file(file), "cam1", new InputGeometry(320, 320, true))
            .withUnpaced(true);
    int frames = 0;
    try (FrameSource source = FrameSource.open(options, null)) {
      try {
        Frame f;
        while ((f = source.next()) != null) {
          frames++;
          f.release();
        }
      } catch (SourceException e) {
        return new Run(frames, source.decodeErrors(), e.getMessage());
      }
      return new Run(frames, source.decodeErrors(), null);
    }
  }

  /** Start and end offsets of the mdat payload (the coded pictures). */
  private static long[] mdat(byte[] mp4) {
    ByteBuffer b = ByteBuffer.wrap(mp4).order(ByteOrder.BIG_ENDIAN);
    int at = 0;
    while (at + 8 <= mp4.length) {
      long size = Integer.toUnsignedLong(b.getInt(at));
      String type = new String(mp4, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
      if (type.equals("mdat")) {
        return new long[] {at + 8, at + size};
      }
      at += (int) size;
    }
    throw new AssertionError("no mdat box");
  }

  @Test
  @DisplayName("flipped bytes all through the pictures: decode goes on to the end, errors counted")
  void flippedBytes() throws Exception {
    byte[] clean = Files.readAllBytes(Fixtures.path(CLIP));
    Run reference = decode(Fixtures.path(CLIP));
    long[] mdat = mdat(clean);
    byte[] broken = Arrays.copyOf(clean, clean.length);
    for (long i = mdat[0] + (mdat[1] - mdat[0]) / 10; i < mdat[1]; i += 4001) {
      for (int k = 0; k < 16 && i + k < mdat[1]; k++) {
        broken[(int) (i + k)] ^= (byte) 0xA5; // a burst: slices, headers and NAL lengths alike
      }
    }
    Path file = dir.resolve("flipped.mp4");
    Files.write(file, broken);
    Run run = decode(file);
    System.out.printf("flipped bytes: %s (clean clip: %s)%n", run, reference);
    assertThat(run.failure()).as("decode gave up").isNull();
    assertThat(run.errors()).as("undecodable packets counted").isPositive();
    assertThat(run.frames())
        .as("frames decoded past the damage")
        .isGreaterThan(reference.frames() / 2);
  }

  @Test
  @DisplayName("a file cut in the middle of a picture: the frames before the cut, then a clean end")
  void cutMidPicture() throws Exception {
    byte[] clean = Files.readAllBytes(Fixtures.path(CLIP));
    Run reference = decode(Fixtures.path(CLIP));
    long[] mdat = mdat(clean);
    Path file = dir.resolve("cut.mp4");
    Files.write(file, Arrays.copyOf(clean, (int) ((mdat[0] + mdat[1]) / 2) + 7));
    Run run = decode(file);
    System.out.printf("cut mid-picture: %s (clean clip: %s)%n", run, reference);
    assertThat(run.frames()).isGreaterThan(reference.frames() / 3).isLessThan(reference.frames());
    if (run.failure() != null) {
      assertThat(run.failure()).doesNotContain("Exception", "\tat ");
    }
  }
}
