package io.stopsign.inference;

import io.stopsign.media.InputGeometry;
import java.nio.FloatBuffer;

/**
 * YOLOX (bubbliiiing export): the buffer holds, per stride 8, 16, 32, a block of {@code 5+C}
 * channels x {@code H*W} cells (reshaped, not transposed); raw logits: box = (cell + offset) *
 * stride, exp(wh) * stride, score = sigmoid(obj) * sigmoid(class).
 */
final class YoloxDecoder implements OutputDecoder {
  private static final int[] STRIDES = {8, 16, 32};
  private final int channels;
  private final int inputWidth;
  private final int inputHeight;

  YoloxDecoder(long[] shape, InputGeometry input) {
    this.inputWidth = input.width();
    this.inputHeight = input.height();
    long cells = 0;
    for (int s : STRIDES) {
      cells += (long) (inputWidth / s) * (inputHeight / s);
    }
    String expected = "[1," + cells + ",5+C] laid out per stride 8/16/32";
    if (shape.length != 3 || shape[0] != 1 || shape[1] != cells || shape[2] < 6) {
      throw OutputDecoder.mismatch("yolox", shape, expected);
    }
    this.channels = (int) shape[2];
  }

  @Override
  public void decode(FloatBuffer out, float minScore, boolean[] keep, Candidates sink) {
    int base = 0;
    for (int stride : STRIDES) {
      int gw = inputWidth / stride;
      int gh = inputHeight / stride;
      int cells = gw * gh;
      for (int cell = 0; cell < cells; cell++) {
        float obj = OutputDecoder.sigmoid(out.get(base + 4 * cells + cell));
        if (obj < minScore) {
          continue;
        }
        int best = -1;
        float bestLogit = Float.NEGATIVE_INFINITY;
        for (int c = 5; c < channels; c++) {
          float v = out.get(base + c * cells + cell);
          if (v > bestLogit) {
            bestLogit = v;
            best = c - 5;
          }
        }
        float score = obj * OutputDecoder.sigmoid(bestLogit);
        if (score < minScore || !OutputDecoder.kept(keep, best)) {
          continue;
        }
        float cx = (cell % gw + out.get(base + cell)) * stride;
        float cy = (cell / gw + out.get(base + cells + cell)) * stride;
        float w = (float) Math.exp(out.get(base + 2 * cells + cell)) * stride;
        float h = (float) Math.exp(out.get(base + 3 * cells + cell)) * stride;
        sink.add(best, score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
      }
      base += channels * cells;
    }
  }
}
