package io.stopsign.bench;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.config.ConfigReader;
import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.inference.ModelConfig;
import io.stopsign.media.Frame;
import io.stopsign.persist.InsertBenchmark;
import io.stopsign.tracking.FrameMetadata;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench}: decode-only, inference-only and full-pipeline throughput on the same clip in one
 * run, with the same thread settings, and the ratio pipeline / min(decode, inference). The pipeline
 * runs the real inference and tracking verticles over the event bus with the file unpaced and the
 * frame queue never overflowing (decode waits for room instead of dropping), so the ratio shows
 * what the queues, the bus and JSON cost. {@code --inserts N} adds the database insert benchmark.
 */
public final class Benchmark {
  private static final String CAMERA = "bench";

  private record Figure(String name, long frames, double seconds, double cpuSeconds) {
    double fps() {
      return frames / seconds;
    }

    double cpuMsPerFrame() {
      return cpuSeconds * 1000 / frames;
    }
  }

  /** The second JVM of {@code bench --bus}: {@code bench-peer PORT SEED_PORT}. */
  public static int peer(String[] args) {
    try {
      return BusBenchmark.peer(args);
    } catch (Exception e) {
      System.err.println("bench-peer: " + e.getMessage());
      return 1;
    }
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("--accuracy")) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      return AccuracyBench.run(rest, defaultClip().getParent().getParent(), out, err);
    }
    Map<String, Object> model = new HashMap<>();
    Path clip = null;
    int frames = 300;
    int inserts = 0;
    int bus = 0;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        err.println("bench: option " + args[i] + " needs a value");
        return 2;
      }
      String value = args[i + 1];
      try {
        switch (args[i]) {
          case "--clip" -> clip = Path.of(value);
          case "--model" -> model.put("path", value);
          case "--family" -> model.put("family", value);
          case "--threads" -> model.put("threads", Integer.parseInt(value));
          case "--frames" -> frames = Integer.parseInt(value);
          case "--inserts" -> inserts = Integer.parseInt(value);
          case "--bus" -> bus = Integer.parseInt(value);
          default -> {
            err.println("bench: unknown option " + args[i]);
            return 2;
          }
        }
      } catch (NumberFormatException e) {
        err.println("bench: " + args[i] + " needs a number, got " + value);
        return 2;
      }
    }
    if (clip == null) {
      clip = defaultClip();
    }
    if (!Files.isRegularFile(clip)) {
      err.println("bench: clip not found: " + clip + " (pass --clip FILE)");
      return 2;
    }
    ModelConfig modelConfig = ModelConfig.from(ConfigReader.of("model", model));
    try (Detector detector = Detectors.open(modelConfig)) {
      out.printf(
          "bench: clip %s, model %s (%s), %d frames, %d inference thread(s), %d cores%n",
          clip.getFileName(),
          modelConfig.path().isEmpty() ? "default" : modelConfig.path(),
          modelConfig.family(),
          frames,
          modelConfig.threads(),
          Runtime.getRuntime().availableProcessors());
      SourceOptions options =
          SourceOptions.of(SourceSpec.file(clip), CAMERA, detector.input())
              .withLoop(true)
              .withUnpaced(true);
      Figure decode = decodeOnly(options, frames);
      Figure infer = inferenceOnly(options, detector, Math.max(30, frames / 3));
      print(out, decode);
      print(out, infer);
      Figure pipeline = pipeline(options, modelConfig, frames, out);
      print(out, pipeline);
      double ratio = pipeline.fps() / Math.min(decode.fps(), infer.fps());
      out.printf("ratio pipeline / min(decode, inference) = %.3f (target >= 0.95)%n", ratio);
    } catch (Exception e) {
      err.println("bench: " + e.getMessage());
      return 1;
    }
    if (inserts > 0) {
      InsertBenchmark.run(out, inserts);
    }
    if (bus > 0) {
      try {
        BusBenchmark.run(out, bus);
      } catch (Exception e) {
        err.println("bench: bus: " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  private static void print(PrintStream out, Figure f) {
    out.printf(
        "%-16s %8.1f fps  %7.2f CPU ms/frame  (%d frames in %.2f s)%n",
        f.name(), f.fps(), f.cpuMsPerFrame(), f.frames(), f.seconds());
  }

  private static Path defaultClip() {
    String env = System.getenv("STOPSIGN_FIXTURES");
    Path root =
        Path.of(
            env != null && !env.isBlank()
                ? env
                : System.getProperty("stopsign.fixtures", "../shared/fixtures"));
    return root.resolve("media/road-cars-720p30.mp4");
  }

  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  private static Figure decodeOnly(SourceOptions options, int frames) throws Exception {
    try (FrameSource source = FrameSource.open(options, null)) {
      warm(source, 10);
      double cpu = cpuSeconds();
      long start = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        source.next().release();
      }
      return new Figure("decode", frames, (System.nanoTime() - start) / 1e9, cpuSeconds() - cpu);
    }
  }

  private static Figure inferenceOnly(SourceOptions options, Detector detector, int frames)
      throws Exception {
    List<Frame> decoded = new ArrayList<>();
    try (FrameSource source = FrameSource.open(options, null)) {
      for (int i = 0; i < 30; i++) {
        decoded.add(copy(source.next()));
      }
    }
    for (int i = 0; i < 3; i++) {
      detector.detect(decoded.get(i));
    }
    double cpu = cpuSeconds();
    long start = System.nanoTime();
    for (int i = 0; i < frames; i++) {
      detector.detect(decoded.get(i % decoded.size()));
    }
    return new Figure("inference", frames, (System.nanoTime() - start) / 1e9, cpuSeconds() - cpu);
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

  private static Figure pipeline(
      SourceOptions options, ModelConfig modelConfig, int frames, PrintStream out)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx.eventBus());
    int capacity = 2;
    Semaphore room = new Semaphore(capacity);
    AtomicLong analysed = new AtomicLong();
    AtomicLong jsonBytes = new AtomicLong();
    try {
      Detector detector = Detectors.open(modelConfig);
      vertx
          .eventBus()
          .<FrameMetadata>consumer(
              Addresses.metadata(CAMERA),
              m -> {
                jsonBytes.addAndGet(m.body().toJson().encode().length());
                analysed.incrementAndGet();
                room.release();
              });
      await(
          vertx
              .deployVerticle(
                  new TrackingVerticle(
                      CAMERA, JudgeConfig.from(ConfigReader.of("camera", Map.of())), 8))
              .toCompletionStage());
      InferenceVerticle inference =
          new InferenceVerticle(CAMERA, detector, capacity, modelConfig.threads());
      await(vertx.deployVerticle(inference).toCompletionStage());
      try (FrameSource source = FrameSource.open(options, null)) {
        warm(source, 10);
        double cpu = cpuSeconds();
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
          if (!room.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pipeline stalled after " + analysed.get() + " frames");
          }
          vertx.eventBus().send(Addresses.frames(CAMERA), source.next());
        }
        if (!room.tryAcquire(capacity, 60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("pipeline did not drain");
        }
        Figure figure =
            new Figure("pipeline", frames, (System.nanoTime() - start) / 1e9, cpuSeconds() - cpu);
        out.printf(
            "pipeline: %d frames analysed, %.0f bytes of JSON per frame%n",
            analysed.get() - 0, (double) jsonBytes.get() / Math.max(1, analysed.get()));
        return figure;
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

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private Benchmark() {}
}
