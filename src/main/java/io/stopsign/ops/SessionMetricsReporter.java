package io.stopsign.ops;

import io.stopsign.bus.Addresses;
import io.stopsign.bus.HealthReport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every 10 s, one session-metrics sample of a camera, published on {@link
 * Addresses#SESSION_METRICS} for persistence: {@code {ts_utc, camera, run_id, fps_decode,
 * fps_infer, latency_ms_p50, latency_ms_p95, queue_drops, cpu}}. Rates, percentiles and queue drops
 * cover the interval since the previous sample; {@code cpu} is the CPU cores the whole process used
 * meanwhile. Read from the meters in {@link Meters#registry()}; no sample while the camera has no
 * decode session (run id).
 */
public final class SessionMetricsReporter extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SessionMetricsReporter.class);
  public static final long INTERVAL_MS = 10_000;

  private final String camera;
  private final Supplier<String> runId;
  private final long intervalMs;
  private MeterReadings previous;
  private long timer = -1;

  private String reportedRunId;

  /** Follows the camera's decode session from its health reports on this node's bus. */
  public SessionMetricsReporter(String camera) {
    this(camera, null, INTERVAL_MS);
  }

  /**
   * @param runId the camera's current decode session, null while there is none; null = follow the
   *     camera's health reports
   */
  public SessionMetricsReporter(String camera, Supplier<String> runId, long intervalMs) {
    this.camera = camera;
    this.runId = runId != null ? runId : () -> reportedRunId;
    this.intervalMs = intervalMs;
  }

  @Override
  public Future<?> start() {
    previous = MeterReadings.read(Meters.registry(), camera);
    timer = vertx.setPeriodic(intervalMs, id -> report());
    return vertx
        .eventBus()
        .<Object>localConsumer(Addresses.HEALTH, m -> onHealth(m.body()))
        .completion();
  }

  private void onHealth(Object body) {
    if (body instanceof HealthReport r && r.check().equals("camera." + camera)) {
      String run = r.data().getString("run_id", "");
      reportedRunId = run.isEmpty() ? null : run;
    }
  }

  private void report() {
    MeterReadings now = MeterReadings.read(Meters.registry(), camera);
    MeterReadings before = previous;
    previous = now;
    String run = runId.get();
    if (run == null) {
      return;
    }
    try {
      vertx.eventBus().publish(Addresses.SESSION_METRICS, sample(camera, run, before, now));
    } catch (RuntimeException e) {
      LOG.warn("session metrics of {} not published: {}", camera, e.getMessage());
    }
  }

  static SessionSample sample(String camera, String run, MeterReadings before, MeterReadings now) {
    double seconds = now.seconds(before);
    return new SessionSample(
        System.currentTimeMillis() / 1000.0,
        camera,
        run,
        round((now.decoded() - before.decoded()) / seconds),
        round((now.inferred() - before.inferred()) / seconds),
        round(now.latencyMs(before, 0.5)),
        round(now.latencyMs(before, 0.95)),
        Math.round(now.dropped() - before.dropped()),
        round(now.cpuCores(before)));
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : 0;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
