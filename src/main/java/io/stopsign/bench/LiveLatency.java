package io.stopsign.bench;

import io.stopsign.decode.SourceOptions;
import io.stopsign.inference.Detector;
import io.stopsign.inference.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * P2: capture to WebSocket receive on the running live path (clip paced in real time), against
 * inference alone on the same frames: the time spent outside inference at p50, and the p99 as a
 * multiple of inference's p99.
 */
final class LiveLatency {
  /** The figure's two values from one run. */
  record Result(double outsideP50Ms, double p99Ratio, String detail) {}

  static Result run(
      Path clip,
      ModelConfig model,
      SourceOptions options,
      Detector detector,
      int frameQueue,
      double seconds)
      throws Exception {
    List<Double> inference = new ArrayList<>();
    Throughput.inferenceOnly(options, detector, 40, inference);
    double[] infer = Repeated.sorted(inference);
    double[] live;
    try (LivePipeline pipeline = LivePipeline.start(clip, model, frameQueue)) {
      WsClients client = pipeline.client();
      Thread.sleep(Math.min(5_000, (long) (seconds * 500))); // warm-up: JIT, first frames
      client.resetLatencies();
      Thread.sleep((long) (seconds * 1000));
      client.stopRecording();
      live = client.latencies();
    }
    if (live.length == 0) {
      throw new IllegalStateException("no metadata reached the WebSocket client");
    }
    double p50 = Repeated.percentile(live, 0.5);
    double p99 = Repeated.percentile(live, 0.99);
    double i50 = Repeated.percentile(infer, 0.5);
    double i99 = Repeated.percentile(infer, 0.99);
    return new Result(
        p50 - i50,
        p99 / i99,
        String.format(
            "last run: %d messages, capture->receive p50 %.1f ms p99 %.1f ms, inference p50 %.1f"
                + " ms p99 %.1f ms",
            live.length, p50, p99, i50, i99));
  }

  private LiveLatency() {}
}
