package io.stopsign.inference;

import io.stopsign.media.Frame;
import io.stopsign.testing.Fixtures;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A detector's Java work per frame on a real output tensor (the street image through the model
 * once, replayed): input tensor, output decoding, class-wise NMS, the filter, boxes in raw pixels.
 * Run with {@code bin/jmh DetectorOutputBench -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DetectorOutputBench {
  /** Fixture model and its family. */
  @Param({"yolov8n-int8.onnx:yolov8", "yolox-nano.onnx:yolox", "fastestdet.onnx:fastestdet"})
  public String model;

  private Detector detector;
  private Frame frame;

  @Setup(Level.Trial)
  public void setUp() {
    String[] m = model.split(":");
    ModelFamily family = ModelFamily.of(m[1]);
    ModelConfig config =
        new ModelConfig(
            "", m[1], "auto", 0.3, 0.5, List.of("car", "truck", "bus", "motorcycle"), 1);
    InferenceEngine engine =
        Detectors.engine(Fixtures.path("models/" + m[0]), "auto", family, config.threads());
    detector =
        new FamilyDetector(
            new ReplayEngine(engine),
            family,
            config.confidence(),
            config.nmsIou(),
            config.classes(),
            new DetectionFilter(
                config.confidence(), config.classConfidence(), config.crossClassIou()));
    frame = TestFrames.frame(TestFrames.image("images/street.jpg"), detector.input());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    detector.close();
  }

  @Benchmark
  public Detections detectReplayed() {
    return detector.detect(frame);
  }
}
