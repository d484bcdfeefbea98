package io.stopsign.inference;

import io.stopsign.media.Frame;
import java.nio.ByteBuffer;

/**
 * Cuts a region out of a packed RGB24 frame and resamples it (bilinear, area-averaged when
 * shrinking by 2 or more) to a detector's content size: how a tile reaches the model.
 */
final class FrameCrop {

  /**
   * The region {@code [x1, y1, x2, y2]} of {@code src} (frame pixels) as a frame of {@code outW x
   * outH} pixels, written into {@code dst}; its raw size is its own size (boxes come back in crop
   * pixels and the caller maps them).
   */
  static Frame crop(Frame src, float[] region, int outW, int outH, ByteBuffer dst) {
    int sw = src.width();
    int sh = src.height();
    ByteBuffer in = src.pixels();
    float sx = (region[2] - region[0]) / outW;
    float sy = (region[3] - region[1]) / outH;
    int taps = Math.max(1, (int) Math.floor(Math.min(sx, sy))); // box filter width when shrinking
    int stride = sw * 3;
    for (int y = 0; y < outH; y++) {
      float fy = region[1] + (y + 0.5f) * sy - 0.5f;
      for (int x = 0; x < outW; x++) {
        float fx = region[0] + (x + 0.5f) * sx - 0.5f;
        int o = (y * outW + x) * 3;
        if (taps == 1) {
          int x0 = clamp((int) Math.floor(fx), sw - 1);
          int y0 = clamp((int) Math.floor(fy), sh - 1);
          int x1 = Math.min(x0 + 1, sw - 1);
          int y1 = Math.min(y0 + 1, sh - 1);
          float ax = Math.max(0, Math.min(1, fx - x0));
          float ay = Math.max(0, Math.min(1, fy - y0));
          for (int c = 0; c < 3; c++) {
            float top =
                lerp(px(in, y0 * stride + x0 * 3 + c), px(in, y0 * stride + x1 * 3 + c), ax);
            float bot =
                lerp(px(in, y1 * stride + x0 * 3 + c), px(in, y1 * stride + x1 * 3 + c), ax);
            dst.put(o + c, (byte) Math.round(lerp(top, bot, ay)));
          }
        } else {
          int bx = clamp(Math.round(fx - (taps - 1) / 2f), sw - taps);
          int by = clamp(Math.round(fy - (taps - 1) / 2f), sh - taps);
          for (int c = 0; c < 3; c++) {
            int sum = 0;
            for (int j = 0; j < taps; j++) {
              for (int i = 0; i < taps; i++) {
                sum += px(in, (by + j) * stride + (bx + i) * 3 + c);
              }
            }
            dst.put(o + c, (byte) ((sum + taps * taps / 2) / (taps * taps)));
          }
        }
      }
    }
    return new Frame(
        src.camera(),
        src.runId(),
        src.seq(),
        src.tsUtc(),
        outW,
        outH,
        outW,
        outH,
        dst.duplicate().clear(),
        () -> {});
  }

  private static int px(ByteBuffer b, int i) {
    return b.get(i) & 0xff;
  }

  private static float lerp(float a, float b, float t) {
    return a + (b - a) * t;
  }

  private static int clamp(int v, int max) {
    return v < 0 ? 0 : Math.min(v, Math.max(0, max));
  }

  private FrameCrop() {}
}
