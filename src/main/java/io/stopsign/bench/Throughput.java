package io.stopsign.bench;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.config.ConfigReader;
import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.inference.Detector;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.media.Frame;
import io.stopsign.ops.ProcessCpu;
import io.stopsign.tracking.FrameMetadata;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P1: decode-only, inference-only and full-pipeline throughput on the same clip with the same
 * thread settings. The pipeline runs the real inference and tracking verticles over the event bus
 * with the file unpaced and the frame queue never overflowing (decode waits for room instead of
 * dropping), so pipeline / min(decode, inference) shows what the queues, the bus and JSON cost.
 */
final class Throughput {
  static final String CAMERA = "bench";

  record Figure(String name, long frames, double seconds, double cpuSeconds) {
    double fps() {
      return frames / seconds;
    }

    double cpuMsPerFrame() {
      return cpuSeconds * 1000 / frames;
    }
  }

  /** One P1 run: prints the three throughputs and returns the ratio. */
  static Repeated.Run ratio(
      SourceOptions options, Detector detector, DetectorSetup setup, int frames, PrintStream out)
      throws Exception {
    Figure decode = decodeOnly(options, frames);
    Figure infer = inferenceOnly(options, detector, Math.max(30, frames / 3), null);
    Figure pipeline = pipeline(options, setup, frames);
    print(out, decode);
    print(out, infer);
    print(out, pipeline);
    double ratio = pipeline.fps() / Math.min(decode.fps(), infer.fps());
    out.printf("ratio pipeline / min(decode, inference) = %.3f%n", ratio);
    return new Repeated.Run(
        ratio,
        String.format(
            "last run: pipeline %.1f fps, decode %.1f, inference %.1f",
            pipeline.fps(), decode.fps(), infer.fps()));
  }

  static void print(PrintStream out, Figure f) {
    out.printf(
        "  %-14s %8.1f fps  %7.2f CPU ms/frame  (%d frames in %.2f s)%n",
        f.name(), f.fps(), f.cpuMsPerFrame(), f.frames(), f.seconds());
  }

  static Figure decodeOnly(SourceOptions options, int frames) throws Exception {
    try (FrameSource source = FrameSource.open(options, null)) {
      warm(source, 10);
      double cpu = ProcessCpu.seconds();
      long start = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        source.next().release();
      }
      return new Figure(
          "decode", frames, (System.nanoTime() - start) / 1e9, ProcessCpu.seconds() - cpu);
    }
  }

  /** Inference alone on pre-decoded frames; {@code millis}, when given, gets each frame's time. */
  static Figure inferenceOnly(
      SourceOptions options, Detector detector, int frames, List<Double> millis) throws Exception {
    List<Frame> decoded = new ArrayList<>();
    try (FrameSource source = FrameSource.open(options, null)) {
      for (int i = 0; i < 30; i++) {
        decoded.add(copy(source.next()));
      }
    }
    for (int i = 0; i < 3; i++) {
      detector.detect(decoded.get(i));
    }
    double cpu = ProcessCpu.seconds();
    long start = System.nanoTime();
    for (int i = 0; i < frames; i++) {
      long t0 = System.nanoTime();
      detector.detect(decoded.get(i % decoded.size()));
      if (millis != null) {
        millis.add((System.nanoTime() - t0) / 1e6);
      }
    }
    return new Figure(
        "inference", frames, (System.nanoTime() - start) / 1e9, ProcessCpu.seconds() - cpu);
  }

  /** A frame that owns its pixels, for replaying pre-decoded frames. */
  private static Frame copy(Frame frame) {
    ByteBuffer pixels = ByteBuffer.allocateDirect(frame.pixels().remaining());
    pixels.put(frame.pixels().duplicate()).flip();
    frame.release();
    return new Frame(
        frame.camera(),
        frame.runId(),
        frame.seq(),
        frame.tsUtc(),
        frame.rawWidth(),
        frame.rawHeight(),
        frame.width(),
        frame.height(),
        pixels,
        () -> {});
  }

  private static Figure pipeline(SourceOptions options, DetectorSetup setup, int frames)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx.eventBus());
    int capacity = 2;
    Semaphore room = new Semaphore(capacity);
    AtomicLong analysed = new AtomicLong();
    // the detector takes the newest frame and drops older ones: their room comes back with the
    // next frame it analyses
    AtomicLong expected = new AtomicLong(-1);
    try {
      Detector detector = setup.open();
      vertx
          .eventBus()
          .<FrameMetadata>consumer(
              Addresses.metadata(CAMERA),
              m -> {
                m.body().toJson().encode(); // what the WebSocket hub does with each frame
                analysed.incrementAndGet();
                long seq = m.body().frame();
                room.release((int) Math.max(1, seq - expected.getAndSet(seq + 1) + 1));
              });
      await(
          vertx
              .deployVerticle(
                  new TrackingVerticle(
                      CAMERA, JudgeConfig.from(ConfigReader.of("camera", Map.of())), 8))
              .toCompletionStage());
      InferenceVerticle inference = new InferenceVerticle(CAMERA, detector, capacity, 1);
      await(vertx.deployVerticle(inference).toCompletionStage());
      try (FrameSource source = FrameSource.open(options, null)) {
        warm(source, 10);
        double cpu = ProcessCpu.seconds();
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
          if (!room.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pipeline stalled after " + analysed.get() + " frames");
          }
          Frame frame = source.next();
          expected.compareAndSet(-1, frame.seq());
          vertx.eventBus().send(Addresses.frames(CAMERA), frame);
        }
        if (!room.tryAcquire(capacity, 60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("pipeline did not drain");
        }
        return new Figure(
            "pipeline",
            analysed.get(),
            (System.nanoTime() - start) / 1e9,
            ProcessCpu.seconds() - cpu);
      }
    } finally {
      await(vertx.close().toCompletionStage());
    }
  }

  private static void warm(FrameSource source, int frames) throws Exception {
    for (int i = 0; i < frames; i++) {
      source.next().release();
    }
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private Throughput() {}
}
