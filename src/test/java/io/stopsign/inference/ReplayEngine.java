package io.stopsign.inference;

import java.nio.FloatBuffer;

/**
 * A real engine whose workspaces run the model once and then hand back that run's output: the
 * detector's own per-frame work (input tensor, decode, NMS, filter) measured on a real output
 * tensor without the inference around it.
 */
final class ReplayEngine implements InferenceEngine {
  private final InferenceEngine real;

  ReplayEngine(InferenceEngine real) {
    this.real = real;
  }

  @Override
  public long[] declaredInputShape() {
    return real.declaredInputShape();
  }

  @Override
  public boolean channelsFirstByDefault() {
    return real.channelsFirstByDefault();
  }

  @Override
  public long[] prepare(long[] inputShape) {
    return real.prepare(inputShape);
  }

  @Override
  public Workspace newWorkspace() {
    Workspace ws = real.newWorkspace();
    return new Workspace() {
      private FloatBuffer recorded;

      @Override
      public FloatBuffer input() {
        return ws.input();
      }

      @Override
      public FloatBuffer run() {
        if (recorded == null) {
          FloatBuffer out = ws.run().duplicate();
          out.rewind();
          recorded = FloatBuffer.allocate(out.remaining()).put(out).flip();
        }
        return recorded;
      }

      @Override
      public void close() {
        ws.close();
      }
    };
  }

  @Override
  public String source() {
    return real.source() + " (replayed)";
  }

  @Override
  public void close() {
    real.close();
  }
}
