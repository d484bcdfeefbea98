package io.stopsign.inference;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Class-wise NMS and the detection filter over 200 candidates, as a detector runs them on its
 * reused candidates each frame. Run with {@code bin/jmh NmsBench -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class NmsBench {
  private static final DetectionFilter FILTER =
      new DetectionFilter(0.3, ModelConfig.CLASS_CONFIDENCE, ModelConfig.CROSS_CLASS_IOU);
  private final float[] boxes = new float[200 * 6];
  private final Candidates candidates = new Candidates();

  @Setup
  public void setUp() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) { // the same frame of candidates HotPathBench used
      float x = random.nextFloat() * 600;
      float y = random.nextFloat() * 300;
      float[] b = {i % 3, random.nextFloat(), x, y, x + 40 + i % 20, y + 30 + i % 15};
      System.arraycopy(b, 0, boxes, i * 6, 6);
    }
  }

  private void load() {
    candidates.clear();
    for (int o = 0; o < boxes.length; o += 6) {
      candidates.add(
          (int) boxes[o], boxes[o + 1], boxes[o + 2], boxes[o + 3], boxes[o + 4], boxes[o + 5]);
    }
  }

  @Benchmark
  public int nms200Candidates() {
    load();
    Nms.classWise(candidates, 0.45f, 100);
    return candidates.selected();
  }

  @Benchmark
  public int nmsAndFilter200Candidates() {
    load();
    Nms.classWise(candidates, 0.45f, 100);
    FILTER.apply(candidates);
    return candidates.selected();
  }
}
