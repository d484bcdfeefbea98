package io.stopsign.inference;

import java.nio.FloatBuffer;

/**
 * Ultralytics YOLOv8/v11: {@code [1, 4+C, N]}, channel-major; cx, cy, w, h in input pixels then C
 * class scores (already sigmoid), no objectness.
 */
final class YoloV8Decoder implements OutputDecoder {
  private final int classes;
  private final int anchors;

  YoloV8Decoder(long[] shape) {
    if (shape.length != 3 || shape[0] != 1 || shape[1] < 5 || shape[2] < 1) {
      throw OutputDecoder.mismatch("yolov8", shape, "[1,4+C,N]");
    }
    this.classes = (int) shape[1] - 4;
    this.anchors = (int) shape[2];
  }

  @Override
  public void decode(FloatBuffer out, float minScore, boolean[] keep, Candidates sink) {
    int n = anchors;
    for (int i = 0; i < n; i++) {
      int best = -1;
      float bestScore = minScore;
      for (int c = 0; c < classes; c++) {
        float s = out.get((4 + c) * n + i);
        if (s >= bestScore) {
          bestScore = s;
          best = c;
        }
      }
      if (best < 0 || !OutputDecoder.kept(keep, best)) {
        continue;
      }
      float cx = out.get(i);
      float cy = out.get(n + i);
      float w = out.get(2 * n + i);
      float h = out.get(3 * n + i);
      sink.add(best, bestScore, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }
  }
}
