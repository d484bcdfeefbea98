package io.stopsign.jmh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopsign.bus.DropOldestQueue;
import io.stopsign.inference.Detection;
import io.stopsign.judge.TrackState;
import io.stopsign.tracking.ByteTracker;
import io.stopsign.tracking.FrameMetadata;
import io.stopsign.tracking.TrackerConfig;
import java.util.ArrayList;
import java.util.List;
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
 * JMH micro-benchmarks of the per-frame hot path: the drop-oldest frame queue, one tracker step and
 * the metadata JSON the WebSocket hub sends (NMS and a detector's decoding: {@code
 * io.stopsign.inference.NmsBench} and {@code DetectorOutputBench}). Run with {@code bin/jmh} (add
 * {@code -prof gc} for the allocation per operation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HotPathBench {
  private DropOldestQueue<Object> queue;
  private final Object frame = new Object();
  private List<List<Detection>> frames;
  private ByteTracker tracker;
  private int step;
  private FrameMetadata metadata;

  @Setup
  public void setUp() {
    queue = new DropOldestQueue<>("jmh", 2, new SimpleMeterRegistry());
    frames = new ArrayList<>();
    for (int f = 0; f < 100; f++) { // eight cars moving right, 4 px a frame
      List<Detection> cars = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        float x = 20 + c * 80 + f * 4;
        cars.add(new Detection(2, "car", 0.8f, x, 100 + c * 20, x + 60, 140 + c * 20));
      }
      frames.add(cars);
    }
    tracker = new ByteTracker(TrackerConfig.DEFAULTS);
    List<TrackState> tracks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tracks.add(
          new TrackState(
              i, "car", 0.8f, 100 + i, 200, 300 + i, 400, 12.5, 1.57, false, i % 2 == 0));
    }
    metadata =
        new FrameMetadata(
            "cam-1",
            "00000000-0000-0000-0000-000000000001",
            1,
            1.7e9,
            tracks,
            List.of(new double[] {0, 0}, new double[] {10, 0}, new double[] {10, 10}),
            1280,
            720,
            352,
            352,
            "px/s");
  }

  /** Decode offers a frame into the full two-slot queue (dropping the oldest), inference polls. */
  @Benchmark
  public Object dropOldestOfferPoll() {
    queue.offer(frame);
    queue.offer(frame);
    return queue.poll();
  }

  /** One tracker update with eight cars; the timestamps run on at 30 fps. */
  @Benchmark
  public ByteTracker.Update trackerStep() {
    int f = step++;
    return tracker.update(1.7e9 + f / 30.0, frames.get(f % frames.size()));
  }

  /** The JSON tree then Jackson: what the hub did per frame before MetadataJson. */
  @Benchmark
  public String metadataJson() {
    return metadata.toJson().encode();
  }

  /** What the hub does per frame now: the same text written directly. */
  @Benchmark
  public String metadataEncode() {
    return metadata.encode();
  }
}
