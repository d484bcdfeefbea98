package io.stopsign.inference;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Builds a model's float input tensor from a packed RGB24 frame in one pass: letterbox padding,
 * channel order, normalisation (a lookup table per channel) and NCHW or NHWC layout.
 */
final class InputTensorWriter {
  private final InputGeometry geometry;
  private final boolean nchw;
  private final boolean bgr;
  // lut[c][v]: the tensor value of byte v in model channel c
  private final float[][] lut;
  private final ThreadLocal<Rows> rows;
  private final float[] padValue;

  /**
   * @param mean per model channel, applied after {@code scale}: {@code (v * scale - mean) / std}
   */
  InputTensorWriter(
      InputGeometry geometry,
      boolean nchw,
      boolean bgr,
      int padGrey,
      float scale,
      float[] mean,
      float[] std) {
    this.geometry = geometry;
    this.nchw = nchw;
    this.bgr = bgr;
    int rowValues = geometry.width() * 3;
    // per thread, not per call: a tiled frame's views are written on several threads at once
    this.rows = ThreadLocal.withInitial(() -> new Rows(new byte[rowValues], new float[rowValues]));
    this.lut = new float[3][256];
    this.padValue = new float[3];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        lut[c][v] = (v * scale - mean[c]) / std[c];
      }
      padValue[c] = lut[c][padGrey];
    }
  }

  /** One row of source pixels and one of tensor values: a frame fits the tensor's width. */
  private record Rows(byte[] src, float[] row) {}

  InputGeometry geometry() {
    return geometry;
  }

  int tensorSize() {
    return geometry.width() * geometry.height() * 3;
  }

  /**
   * Writes the tensor for {@code frame} into {@code dst} (absolute puts from 0) and says how to map
   * boxes back.
   */
  BoxMapping write(Frame frame, FloatBuffer dst) {
    int tw = geometry.width();
    int th = geometry.height();
    int w = frame.width();
    int h = frame.height();
    checkSize(frame, tw, th);
    int dx = (tw - w) / 2;
    int dy = (th - h) / 2;
    ByteBuffer pixels = frame.pixels();
    Rows rows = this.rows.get();
    byte[] src = rows.src();
    float[] row = rows.row();
    int plane = tw * th;
    for (int y = 0; y < th; y++) {
      int sy = y - dy;
      boolean content = sy >= 0 && sy < h;
      if (content) {
        pixels.get(sy * w * 3, src, 0, w * 3);
      }
      if (nchw) {
        for (int c = 0; c < 3; c++) {
          fillPlaneRow(row, c, content ? src : null, w, dx);
          dst.put(c * plane + y * tw, row, 0, tw);
        }
      } else {
        fillInterleavedRow(row, content ? src : null, w, dx);
        dst.put(y * tw * 3, row, 0, tw * 3);
      }
    }
    return new BoxMapping(dx, dy, w, h, frame.rawWidth(), frame.rawHeight());
  }

  private void fillPlaneRow(float[] row, int c, byte[] src, int w, int dx) {
    int tw = geometry.width();
    float pad = padValue[c];
    if (src == null) {
      java.util.Arrays.fill(row, 0, tw, pad);
      return;
    }
    float[] table = lut[c];
    int s = bgr ? 2 - c : c;
    java.util.Arrays.fill(row, 0, dx, pad);
    for (int x = 0; x < w; x++) {
      row[dx + x] = table[src[x * 3 + s] & 0xff];
    }
    java.util.Arrays.fill(row, dx + w, tw, pad);
  }

  private void fillInterleavedRow(float[] row, byte[] src, int w, int dx) {
    int tw = geometry.width();
    for (int x = 0; x < tw; x++) {
      int sx = x - dx;
      boolean inside = src != null && sx >= 0 && sx < w;
      for (int c = 0; c < 3; c++) {
        row[x * 3 + c] = inside ? lut[c][src[sx * 3 + (bgr ? 2 - c : c)] & 0xff] : padValue[c];
      }
    }
  }

  private void checkSize(Frame frame, int tw, int th) {
    int w = frame.width();
    int h = frame.height();
    boolean fits =
        geometry.letterbox() ? w >= 1 && h >= 1 && w <= tw && h <= th : w == tw && h == th;
    if (!fits) {
      throw new IllegalArgumentException(
          "frame "
              + w
              + "x"
              + h
              + " does not fit the detector input "
              + tw
              + "x"
              + th
              + (geometry.letterbox() ? " (letterbox)" : " (exact size)"));
    }
    if (frame.pixels().capacity() < w * h * 3) {
      throw new IllegalArgumentException(
          "frame pixels hold "
              + frame.pixels().capacity()
              + " bytes, "
              + w
              + "x"
              + h
              + " RGB24 needs "
              + w * h * 3);
    }
  }
}
