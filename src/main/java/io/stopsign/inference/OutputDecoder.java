package io.stopsign.inference;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** Turns a model family's raw output tensor into boxes in input-tensor pixels (before NMS). */
interface OutputDecoder {

  /**
   * Appends to {@code sink} every box scoring at least {@code minScore} whose best class is kept by
   * {@code keep}; the label is left null (set when mapping to raw pixels).
   */
  void decode(FloatBuffer out, float minScore, boolean[] keep, Candidates sink);

  static boolean kept(boolean[] keep, int classId) {
    return classId >= 0 && classId < keep.length && keep[classId];
  }

  static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  /** A {@link ModelException} saying the output does not look like the family's. */
  static ModelException mismatch(String family, long[] shape, String expected) {
    return new ModelException(
        "model output "
            + Arrays.toString(shape)
            + " does not match family "
            + family
            + " (expected "
            + expected
            + ")");
  }
}
