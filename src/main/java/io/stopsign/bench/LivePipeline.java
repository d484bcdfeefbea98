package io.stopsign.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.stopsign.bus.Addresses;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.config.ConfigReader;
import io.stopsign.decode.DecodeVerticle;
import io.stopsign.inference.Detections;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.inference.ModelConfig;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.ops.Meters;
import io.stopsign.tracking.FrameMetadata;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service's live path for one camera, as the service deploys it: the clip decoded in real time
 * (looped), inference, tracking, and the WebSocket hub on 127.0.0.1; a real WebSocket client reads
 * what the browser would.
 */
final class LivePipeline implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Vertx clientVertx = Vertx.vertx();
  private final HubVerticle hub = new HubVerticle(Throughput.CAMERA, 16);
  private final Path dataDir;
  private WsClients client;
  // capture to tracking's metadata on the bus (ms), the last stage before the WebSocket hub
  private final List<Double> published = new ArrayList<>();
  // the detector's time on each frame (ms), the same frames' share of the latency
  private final List<Double> inference = new ArrayList<>();
  private volatile boolean recording;

  private LivePipeline() throws Exception {
    dataDir = Files.createTempDirectory("stopsign-bench");
  }

  /** Starts the pipeline on {@code clip} with one WebSocket client connected. */
  static LivePipeline start(Path clip, ModelConfig model, int frameQueue) throws Exception {
    return start(clip, model, frameQueue, true);
  }

  /**
   * As {@link #start(Path, ModelConfig, int)}; {@code waitForNext} false: the detector takes the
   * newest frame however old, decode scaling every frame (no hints from the detector).
   */
  static LivePipeline start(Path clip, ModelConfig model, int frameQueue, boolean waitForNext)
      throws Exception {
    LivePipeline live = new LivePipeline();
    try {
      live.deploy(clip, model, frameQueue, waitForNext);
      return live;
    } catch (Exception e) {
      live.close();
      throw e;
    }
  }

  private void deploy(Path clip, ModelConfig model, int frameQueue, boolean waitForNext)
      throws Exception {
    Codecs.register(vertx.eventBus());
    String camera = Throughput.CAMERA;
    CameraConfig config =
        CameraConfig.from(
            ConfigReader.of(
                "camera", Map.of("id", camera, "source", clip.toString(), "loop", true)));
    Throughput.await(vertx.deployVerticle(hub).toCompletionStage());
    client = WsClients.connect(clientVertx, hub.port(), 1, 1 << 20);
    vertx
        .eventBus()
        .<FrameMetadata>localConsumer(
            Addresses.metadata(camera),
            m -> {
              if (recording) {
                double ms = (System.currentTimeMillis() / 1000.0 - m.body().tsUtc()) * 1000;
                synchronized (published) {
                  published.add(ms);
                }
              }
            });
    Detector detector = new Timed(Detectors.open(model));
    Throughput.await(
        vertx
            .deployVerticle(
                new TrackingVerticle(
                    camera, JudgeConfig.from(ConfigReader.of("camera", Map.of())), 8))
            .toCompletionStage());
    InferenceVerticle inference = new InferenceVerticle(camera, detector, frameQueue, 1);
    if (!waitForNext) {
      inference.takingNewest();
    }
    Throughput.await(vertx.deployVerticle(inference).toCompletionStage());
    Throughput.await(
        vertx
            .deployVerticle(new DecodeVerticle(config, detector.input(), dataDir, false, "bench"))
            .toCompletionStage());
  }

  /** The detector, timing each frame while recording. */
  private final class Timed implements Detector {
    private final Detector detector;

    Timed(Detector detector) {
      this.detector = detector;
    }

    @Override
    public InputGeometry input() {
      return detector.input();
    }

    @Override
    public Detections detect(Frame frame) {
      long start = System.nanoTime();
      Detections detections = detector.detect(frame);
      if (recording) {
        synchronized (inference) {
          inference.add((System.nanoTime() - start) / 1e6);
        }
      }
      return detections;
    }

    @Override
    public void close() {
      detector.close();
    }
  }

  WsClients client() {
    return client;
  }

  /** Starts (true) or stops recording capture to metadata-published times and inference times. */
  void record(boolean on) {
    if (on) {
      synchronized (published) {
        published.clear();
      }
      synchronized (inference) {
        inference.clear();
      }
    }
    recording = on;
  }

  /** Capture to metadata published (ms), sorted. */
  double[] published() {
    synchronized (published) {
      return Repeated.sorted(published);
    }
  }

  /** The detector's time on each frame it ran on while recording (ms), sorted. */
  double[] inference() {
    synchronized (inference) {
      return Repeated.sorted(inference);
    }
  }

  /** The camera's timer in the process registry (the verticles' meters), or null. */
  static Timer timer(String name) {
    return Meters.registry().find(name).tag("camera", Throughput.CAMERA).timer();
  }

  /** The camera's counter in the process registry, 0 when absent. */
  static double counter(String name) {
    Counter c = Meters.registry().find(name).tag("camera", Throughput.CAMERA).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() throws Exception {
    try {
      if (client != null) {
        Throughput.await(client.close().toCompletionStage());
      }
      Throughput.await(clientVertx.close().toCompletionStage());
      Throughput.await(vertx.close().toCompletionStage());
    } finally {
      try (var files = Files.walk(dataDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
