package io.stopsign.inference;

import java.nio.FloatBuffer;

/** CenterNet: {@code [1, N, 6]} rows of x1, y1, x2, y2 (input pixels), score, class id. */
final class CenterNetDecoder implements OutputDecoder {
  private final int rows;

  CenterNetDecoder(long[] shape) {
    if (shape.length != 3 || shape[0] != 1 || shape[2] != 6 || shape[1] < 1) {
      throw OutputDecoder.mismatch("centernet", shape, "[1,N,6]");
    }
    this.rows = (int) shape[1];
  }

  @Override
  public void decode(FloatBuffer out, float minScore, boolean[] keep, Candidates sink) {
    for (int i = 0; i < rows; i++) {
      int o = i * 6;
      float score = out.get(o + 4);
      int cls = Math.round(out.get(o + 5));
      if (score >= minScore && OutputDecoder.kept(keep, cls)) {
        sink.add(cls, score, out.get(o), out.get(o + 1), out.get(o + 2), out.get(o + 3));
      }
    }
  }
}
