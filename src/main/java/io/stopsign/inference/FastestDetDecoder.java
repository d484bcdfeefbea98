package io.stopsign.inference;

import io.stopsign.media.InputGeometry;
import java.nio.FloatBuffer;

/**
 * FastestDet: {@code [1, 5+C, H, W]}: objectness, tanh x/y offsets in cells, sigmoid w/h as
 * fractions of the input, then class scores; score = obj^0.6 * cls^0.4.
 */
final class FastestDetDecoder implements OutputDecoder {
  private final int channels;
  private final int gridHeight;
  private final int gridWidth;
  private final int inputWidth;
  private final int inputHeight;

  FastestDetDecoder(long[] shape, InputGeometry input) {
    if (shape.length != 4 || shape[0] != 1 || shape[1] < 6 || shape[2] < 1 || shape[3] < 1) {
      throw OutputDecoder.mismatch("fastestdet", shape, "[1,5+C,H,W]");
    }
    this.channels = (int) shape[1];
    this.gridHeight = (int) shape[2];
    this.gridWidth = (int) shape[3];
    this.inputWidth = input.width();
    this.inputHeight = input.height();
  }

  @Override
  public void decode(FloatBuffer out, float minScore, boolean[] keep, Candidates sink) {
    int cells = gridWidth * gridHeight;
    // obj^0.6 bounds the score from above, so most cells stop here
    double minObj = Math.pow(minScore, 1 / 0.6);
    for (int cell = 0; cell < cells; cell++) {
      float obj = out.get(cell);
      if (obj < minObj) {
        continue;
      }
      int best = -1;
      float bestCls = 0;
      for (int c = 5; c < channels; c++) {
        float v = out.get(c * cells + cell);
        if (v > bestCls) {
          bestCls = v;
          best = c - 5;
        }
      }
      float score = (float) (Math.pow(obj, 0.6) * Math.pow(bestCls, 0.4));
      if (score < minScore || !OutputDecoder.kept(keep, best)) {
        continue;
      }
      float cx = (cell % gridWidth + (float) Math.tanh(out.get(cells + cell))) / gridWidth;
      float cy = (cell / gridWidth + (float) Math.tanh(out.get(2 * cells + cell))) / gridHeight;
      float w = OutputDecoder.sigmoid(out.get(3 * cells + cell));
      float h = OutputDecoder.sigmoid(out.get(4 * cells + cell));
      sink.add(
          best,
          score,
          (cx - w / 2) * inputWidth,
          (cy - h / 2) * inputHeight,
          (cx + w / 2) * inputWidth,
          (cy + h / 2) * inputHeight);
    }
  }
}
