package io.stopsign.inference;

import java.nio.FloatBuffer;

/** A runtime holding one loaded model with a single float input and the output we read. */
interface InferenceEngine extends AutoCloseable {

  /** What the model declares for its input; -1 where a dimension is not fixed. */
  long[] declaredInputShape();

  /** Whether the input is channels-first when the declared shape does not say. */
  boolean channelsFirstByDefault();

  /**
   * Fixes the input shape, runs the model once on zeros (validating it and warming it up) and
   * returns the output shape.
   */
  long[] prepare(long[] inputShape);

  /** Buffers for one concurrent caller; reused across calls. */
  Workspace newWorkspace();

  /** Where the model came from, for messages. */
  String source();

  @Override
  void close();

  /** Number of values in a tensor of {@code shape}. */
  static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** One caller's input and output buffers. */
  interface Workspace extends AutoCloseable {
    /** The input tensor's floats, written by the caller before {@link #run()}. */
    FloatBuffer input();

    /** Runs the model; the returned buffer holds the output until the next call. */
    FloatBuffer run();

    @Override
    void close();
  }
}
