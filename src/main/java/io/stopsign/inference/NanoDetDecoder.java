package io.stopsign.inference;

import io.stopsign.media.InputGeometry;
import java.nio.FloatBuffer;

/**
 * NanoDet (GFL head): {@code [1, N, 80 + 4 * (R + 1)]}, one row per cell, cells row-major per
 * stride 8, 16, 32 (finest first): 80 class scores (sigmoid already applied), then for the left,
 * top, right and bottom distances {@code R + 1} logits each over 0..R strides; a distance is the
 * softmax expectation times the stride, measured from the cell centre {@code (x + 0.5) * stride}.
 */
final class NanoDetDecoder implements OutputDecoder {
  static final int[] STRIDES = {8, 16, 32};
  static final int CLASSES = 80;
  private final int channels;
  private final int bins;
  private final int inputWidth;
  private final int inputHeight;

  NanoDetDecoder(long[] shape, InputGeometry input) {
    this.inputWidth = input.width();
    this.inputHeight = input.height();
    long cells = 0;
    for (int s : STRIDES) {
      cells += (long) cells(inputWidth, s) * cells(inputHeight, s);
    }
    String expected =
        "[1," + cells + ",80+4*(R+1)] rows of strides 8/16/32 for a " + input.width() + " input";
    if (shape.length != 3
        || shape[0] != 1
        || shape[1] != cells
        || shape[2] < CLASSES + 8
        || (shape[2] - CLASSES) % 4 != 0) {
      throw OutputDecoder.mismatch("nanodet", shape, expected);
    }
    this.channels = (int) shape[2];
    this.bins = (channels - CLASSES) / 4;
  }

  private static int cells(int size, int stride) {
    return (size + stride - 1) / stride;
  }

  @Override
  public void decode(FloatBuffer out, float minScore, boolean[] keep, Candidates sink) {
    int row = 0;
    for (int stride : STRIDES) {
      int gw = cells(inputWidth, stride);
      int gh = cells(inputHeight, stride);
      for (int cell = 0; cell < gw * gh; cell++, row++) {
        int o = row * channels;
        int best = -1;
        float score = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
          float v = out.get(o + c);
          if (v > score) {
            score = v;
            best = c;
          }
        }
        if (score < minScore || !OutputDecoder.kept(keep, best)) {
          continue;
        }
        float left = expectation(out, o + CLASSES) * stride;
        float top = expectation(out, o + CLASSES + bins) * stride;
        float right = expectation(out, o + CLASSES + 2 * bins) * stride;
        float bottom = expectation(out, o + CLASSES + 3 * bins) * stride;
        float cx = (cell % gw + 0.5f) * stride;
        float cy = (cell / gw + 0.5f) * stride;
        sink.add(best, score, cx - left, cy - top, cx + right, cy + bottom);
      }
    }
  }

  /** The mean of the softmax over {@code bins} logits from {@code from}: a distance in strides. */
  private float expectation(FloatBuffer out, int from) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < bins; i++) {
      max = Math.max(max, out.get(from + i));
    }
    double sum = 0;
    double weighted = 0;
    for (int i = 0; i < bins; i++) {
      double e = Math.exp(out.get(from + i) - max);
      sum += e;
      weighted += e * i;
    }
    return (float) (weighted / sum);
  }
}
