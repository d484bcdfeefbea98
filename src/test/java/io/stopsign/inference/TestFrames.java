package io.stopsign.inference;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.testing.Fixtures;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Frames made from fixture images the way decode makes them: scaled to the detector's content size,
 * RGB24.
 */
final class TestFrames {

  static BufferedImage image(String fixture) {
    try {
      return ImageIO.read(Fixtures.path(fixture).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The image scaled for {@code geometry}; {@code releases} counts release() calls. */
  static Frame frame(
      BufferedImage image,
      InputGeometry geometry,
      String camera,
      long seq,
      AtomicInteger releases) {
    InputGeometry.Size size = geometry.contentSize(image.getWidth(), image.getHeight());
    BufferedImage scaled =
        new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, size.width(), size.height(), null);
    g.dispose();
    ByteBuffer pixels = ByteBuffer.allocateDirect(size.width() * size.height() * 3);
    for (int y = 0; y < size.height(); y++) {
      for (int x = 0; x < size.width(); x++) {
        int rgb = scaled.getRGB(x, y);
        pixels.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
      }
    }
    pixels.flip();
    return new Frame(
        camera,
        "run-test",
        seq,
        1_700_000_000.0 + seq / 30.0,
        image.getWidth(),
        image.getHeight(),
        size.width(),
        size.height(),
        pixels,
        releases::incrementAndGet);
  }

  static Frame frame(BufferedImage image, InputGeometry geometry) {
    return frame(image, geometry, "cam-test", 1, new AtomicInteger());
  }

  private TestFrames() {}
}
