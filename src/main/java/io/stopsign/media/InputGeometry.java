package io.stopsign.media;

/**
 * The detector's input tensor size and how a camera image is fitted into it.
 *
 * @param letterbox true: the image keeps its aspect ratio and the detector pads the rest; false:
 *     the image is stretched to exactly {@code width x height}
 * @param shrinkOnly a letterboxed image smaller than the box keeps its own size instead of being
 *     enlarged (the tiled detector resamples each view itself; enlarging first only adds pixels)
 */
public record InputGeometry(int width, int height, boolean letterbox, boolean shrinkOnly) {

  public InputGeometry {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
    }
  }

  /** A model's input: a letterboxed image is enlarged or shrunk to fill the box. */
  public InputGeometry(int width, int height, boolean letterbox) {
    this(width, height, letterbox, false);
  }

  /** At most {@code longest} pixels each way, aspect kept, never enlarged. */
  public static InputGeometry atMost(int longest) {
    return new InputGeometry(longest, longest, true, true);
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
    if (shrinkOnly && scale >= 1) {
      return new Size(rawWidth, rawHeight);
    }
    int w = (int) Math.round(rawWidth * scale);
    int h = (int) Math.round(rawHeight * scale);
    return new Size(Math.max(1, Math.min(width, w)), Math.max(1, Math.min(height, h)));
  }

  /** A width and height in pixels. */
  public record Size(int width, int height) {}
}
