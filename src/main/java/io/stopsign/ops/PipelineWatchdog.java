package io.stopsign.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopsign.bus.HealthReporter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdogs of one camera's analysis that read its meters each second: {@code
 * inference.<camera>} is DOWN while frames are decoded but the detector has returned nothing (no
 * result, no error) for longer than the stall limit, and {@code error_budget.<camera>} is DOWN
 * while more than the budgeted share of its frames failed in the window ({@link ErrorBudget}). Both
 * are readiness checks on the bus like every other, and each change of either is a {@code watchdog}
 * event; neither stops anything: a blocked detector's frames are already dropped oldest first by
 * its queue, and it is UP again with its next result.
 */
public final class PipelineWatchdog extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineWatchdog.class);
  private static final long INTERVAL_MS = 1000;

  private final String camera;
  private final String node;
  private final long stallNanos;
  private final ErrorBudget budget;
  private final AtomicLong shareBits = new AtomicLong();
  private final AtomicLong stalledMillis = new AtomicLong();
  private final List<Meter> meters = new ArrayList<>();
  private final List<HealthReporter> reporters = new ArrayList<>();
  private double decoded = -1;
  private double inferred = -1;
  private long lastDecodeNanos;
  private long lastInferNanos;
  private boolean stalled;
  private boolean overBudget;
  private long timer = -1;
  private EventLog events;

  /**
   * @param inferenceStall frames arriving and no inference result for this long: DOWN
   * @param errorBudget most share (0..1) of frames that may fail in the window
   */
  public PipelineWatchdog(
      String camera, String node, Duration inferenceStall, double errorBudget, int windowSeconds) {
    this.camera = camera;
    this.node = node;
    this.stallNanos = inferenceStall.toNanos();
    this.budget = new ErrorBudget(errorBudget, windowSeconds);
  }

  @Override
  public Future<?> start() {
    MeterRegistry registry = Meters.registry();
    meters.add(
        Gauge.builder(
                "stopsign_frame_error_ratio", shareBits, b -> Double.longBitsToDouble(b.get()))
            .description(
                "Share of the camera's frames that failed (decode or inference) in the error-budget window")
            .tag("camera", camera)
            .register(registry));
    meters.add(
        Gauge.builder("stopsign_inference_stalled_seconds", stalledMillis, m -> m.get() / 1000.0)
            .description(
                "Seconds frames have been arriving without an inference result (0 = flowing)")
            .tag("camera", camera)
            .register(registry));
    long now = System.nanoTime();
    lastDecodeNanos = now;
    lastInferNanos = now;
    events = new EventLog(vertx);
    sample();
    reporters.add(new HealthReporter(vertx, "inference." + camera, node, this::inferenceStatus));
    reporters.add(new HealthReporter(vertx, "error_budget." + camera, node, budget::status));
    reporters.forEach(HealthReporter::start);
    timer = vertx.setPeriodic(INTERVAL_MS, id -> sample());
    return Future.succeededFuture();
  }

  private void sample() {
    MeterRegistry registry = Meters.registry();
    long now = System.nanoTime();
    // a frame decode skipped for the busy detector arrived all the same
    double nowDecoded =
        MeterReadings.counter(registry, "stopsign_frames_decoded", camera)
            + MeterReadings.counter(registry, "stopsign_frames_skipped", camera);
    double decodeErrors = MeterReadings.counter(registry, "stopsign_decode_errors", camera);
    double inferErrors = MeterReadings.counter(registry, "stopsign_inference_errors", camera);
    double nowInferred =
        MeterReadings.counter(registry, "stopsign_frames_inferred", camera) + inferErrors;
    if (nowDecoded != decoded) {
      decoded = nowDecoded;
      lastDecodeNanos = now;
    }
    if (nowInferred != inferred) {
      inferred = nowInferred;
      lastInferNanos = now;
    }
    budget.add(now, nowDecoded + decodeErrors, decodeErrors + inferErrors);
    shareBits.set(Double.doubleToRawLongBits(budget.share()));
    // frames came after the last result: the detector has had work it did not finish
    long waiting = lastDecodeNanos - lastInferNanos > 0 ? now - lastInferNanos : 0;
    stalledMillis.set(waiting / 1_000_000);
    boolean nowStalled = waiting > stallNanos;
    if (nowStalled != stalled) {
      stalled = nowStalled;
      String reason =
          stalled
              ? "no inference result for " + seconds(waiting) + " s while frames arrive"
              : "inference results again";
      if (stalled) {
        LOG.warn("{} {}: frames are dropped", camera, reason);
      } else {
        LOG.info("{} {}", camera, reason);
      }
      events.watchdog(camera, "inference_stall", stalled ? "blocked" : "recovered", reason);
      if (!reporters.isEmpty()) {
        reporters.get(0).report(); // say it now rather than at the next second
      }
    }
    if (budget.exceeded() != overBudget) {
      overBudget = !overBudget;
      events.watchdog(
          camera,
          "error_budget",
          overBudget ? "exceeded" : "recovered",
          String.format(
              Locale.ROOT, "%.1f %% of frames failed in the window", 100 * budget.share()));
    }
  }

  private Status inferenceStatus() {
    long waitingMillis = stalledMillis.get();
    JsonObject data =
        new JsonObject()
            .put("waiting_s", waitingMillis / 1000.0)
            .put("stall_limit_s", stallNanos / 1e9);
    if (!stalled) {
      return Status.OK(data);
    }
    return Status.KO(
        data.put(
            "reason",
            String.format(
                Locale.ROOT,
                "no inference result for %.0f s while frames arrive (stall limit %.0f s): frames are dropped",
                waitingMillis / 1000.0,
                stallNanos / 1e9)));
  }

  private static long seconds(long nanos) {
    return nanos / 1_000_000_000L;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    reporters.forEach(HealthReporter::stop);
    meters.forEach(Meters.registry()::remove);
    return Future.succeededFuture();
  }
}
