package io.stopsign.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.stopsign.decode.SourceOptions;
import io.stopsign.inference.Detector;
import io.stopsign.inference.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * P2: capture to WebSocket receive on the running live path (clip paced in real time), against the
 * detector's own time on the same frames in the same run: the time spent outside inference at p50,
 * and the p99 as a multiple of inference's p99. Inference alone (the frames pre-decoded, nothing
 * else running) is in the detail: the difference is what the other stages' CPU cost the detector.
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
      double seconds,
      boolean waitForNext)
      throws Exception {
    List<Double> alone = new ArrayList<>();
    Throughput.inferenceOnly(options, detector, 40, alone);
    double[] live;
    double[] infer;
    String stages;
    try (LivePipeline pipeline = LivePipeline.start(clip, model, frameQueue, waitForNext)) {
      WsClients client = pipeline.client();
      Thread.sleep(Math.min(5_000, (long) (seconds * 500))); // warm-up: JIT, first frames
      double decoded = LivePipeline.counter("stopsign_frames_decoded");
      double skipped = LivePipeline.counter("stopsign_frames_skipped");
      double inferred = LivePipeline.counter("stopsign_frames_inferred");
      client.resetLatencies();
      pipeline.record(true);
      Thread.sleep((long) (seconds * 1000));
      client.stopRecording();
      pipeline.record(false);
      live = client.latencies();
      infer = pipeline.inference();
      stages =
          stages(
              pipeline.published(),
              LivePipeline.counter("stopsign_frames_decoded") - decoded,
              LivePipeline.counter("stopsign_frames_skipped") - skipped,
              (LivePipeline.counter("stopsign_frames_inferred") - inferred) / seconds,
              waitForNext);
    }
    if (live.length == 0 || infer.length == 0) {
      throw new IllegalStateException("no metadata reached the WebSocket client");
    }
    double p50 = Repeated.percentile(live, 0.5);
    double p99 = Repeated.percentile(live, 0.99);
    double i50 = Repeated.percentile(infer, 0.5);
    double i99 = Repeated.percentile(infer, 0.99);
    double[] aloneSorted = Repeated.sorted(alone);
    return new Result(
        p50 - i50,
        p99 / i99,
        String.format(
            "last run: %d messages, capture->receive p50 %.1f ms p99 %.1f ms, inference on the"
                + " same frames p50 %.1f ms p99 %.1f ms (alone before the run %.1f/%.1f ms); %s",
            live.length,
            p50,
            p99,
            i50,
            i99,
            Repeated.percentile(aloneSorted, 0.5),
            Repeated.percentile(aloneSorted, 0.99),
            stages));
  }

  /**
   * Where the time went, p50/p99 from capture: to the detector taking the frame (decode, the wait
   * for the detector, hand-off), to tracking's metadata on the bus; and frames not scaled.
   */
  private static String stages(
      double[] published, double handed, double skipped, double analysedFps, boolean waitForNext) {
    Timer wait = LivePipeline.timer("stopsign_inference_wait");
    String detector = "n/a";
    if (wait != null) {
      double w50 = Double.NaN;
      double w99 = Double.NaN;
      for (ValueAtPercentile v : wait.takeSnapshot().percentileValues()) {
        if (v.percentile() == 0.5) {
          w50 = v.value(TimeUnit.MILLISECONDS);
        } else if (v.percentile() == 0.99) {
          w99 = v.value(TimeUnit.MILLISECONDS);
        }
      }
      detector = String.format("%.1f/%.1f ms", w50, w99);
    }
    return String.format(
        "capture->detector takes it p50/p99 %s, capture->metadata published %.1f/%.1f ms,"
            + " frames handed to inference %.0f, not scaled (detector busy) %.0f; analysed %.1f"
            + " fps; hand-off: %s",
        detector,
        Repeated.percentile(published, 0.5),
        Repeated.percentile(published, 0.99),
        handed,
        skipped,
        analysedFps,
        waitForNext
            ? "newest, or the next frame when it has waited over half an interval"
            : "newest");
  }

  private LiveLatency() {}
}
