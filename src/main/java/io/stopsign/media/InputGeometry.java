package io.stopsign.media;

/**
 * The detector's input tensor size and how a camera image is fitted into it.
 *
 * @param letterbox true: the image keeps its aspect ratio and the detector pads the rest; false:
 *     the image is stretched to exactly {@code width x height}
 */
public record InputGeometry(int width, int height, boolean letterbox) {

  public InputGeometry {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
    }
  }

  /** The size decode scales a {@code rawWidth x rawHeight} camera image to. */
  public Size contentSize(int rawWidth, int rawHeight) {
    if (rawWidth < 1 || rawHeight < 1) {
      throw new IllegalArgumentException(
          "camera size must be positive: " + rawWidth + "x" + rawHeight);
    }
    if (!letterbox) {
      return new Size(width, height);
    }
    double scale = Math.min((double) width / rawWidth, (double) height / rawHeight);
    int w = (int) Math.round(rawWidth * scale);
    int h = (int) Math.round(rawHeight * scale);
    return new Size(Math.max(1, Math.min(width, w)), Math.max(1, Math.min(height, h)));
  }

  /** A width and height in pixels. */
  public record Size(int width, int height) {}
}
