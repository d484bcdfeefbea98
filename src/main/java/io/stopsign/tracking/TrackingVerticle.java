package io.stopsign.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.DropOldestQueue;
import io.stopsign.bus.FrameTraces;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.common.RateLimitedLog;
import io.stopsign.inference.Detections;
import io.stopsign.judge.CameraJudge;
import io.stopsign.judge.JudgeConfigUpdates;
import io.stopsign.judge.JudgeSettings;
import io.stopsign.judge.PassPublisher;
import io.stopsign.judge.StoredGeometryLookup;
import io.stopsign.ops.CameraEvent;
import io.stopsign.ops.EventLog;
import io.stopsign.ops.Meters;
import io.stopsign.ops.StageTimestamps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking stage of one camera: takes {@link Detections} from {@link Addresses#detections}
 * through a drop-oldest queue, runs them in frame order through {@link ByteTracker} and the
 * camera's {@link CameraJudge}, and publishes one {@link FrameMetadata} per processed frame on
 * {@link Addresses#metadata}, also when nothing is in view. Tracking a frame takes well under a
 * millisecond, so the queue is drained on the verticle's own event loop.
 */
public final class TrackingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TrackingVerticle.class);

  private final String camera;
  private JudgeConfig judgeConfig;
  private final JudgeSettings settings;
  private StoredGeometryLookup storedGeometry;
  private final TrackerConfig trackerConfig;
  private final int queueCapacity;
  private final FrameOrder order = new FrameOrder();
  private final List<Meter> meters = new ArrayList<>();

  private DropOldestQueue<Detections> queue;
  private MessageConsumer<Detections> consumer;
  private MessageConsumer<Object> configUpdates;
  private PassPublisher passes;
  private EventLog events;
  private Path outbox;
  private boolean drainScheduled;
  // trace context of the sampled frames waiting in the queue, by frame number
  private final Map<Long, String> traces = new HashMap<>();
  private ByteTracker tracker;
  private StarvedTracker starved;
  private CameraJudge judge;
  private Timer latency;
  private Counter stale;
  private Counter invalid;
  private volatile int activeTracks;
  private final RateLimitedLog badInput = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

  public TrackingVerticle(String camera, JudgeConfig judge, int queueCapacity) {
    this(camera, judge, queueCapacity, TrackerConfig.DEFAULTS);
  }

  public TrackingVerticle(
      String camera, JudgeConfig judge, int queueCapacity, TrackerConfig tracker) {
    if (camera == null || camera.isBlank()) {
      throw new IllegalArgumentException("camera id must not be blank");
    }
    this.camera = camera;
    this.judgeConfig = judge != null ? judge : new JudgeConfig(List.of(), List.of(), List.of());
    this.settings = new JudgeSettings(judgeConfig);
    this.trackerConfig = tracker;
    this.queueCapacity = queueCapacity;
  }

  /** Keeps unacknowledged passes under this folder until persistence acknowledges them. */
  public TrackingVerticle outbox(Path dir) {
    outbox = dir;
    return this;
  }

  @Override
  public Future<?> start() {
    queue =
        new DropOldestQueue<>(
            "detections." + camera,
            camera,
            queueCapacity,
            Meters.registry(),
            d -> traces.remove(d.seq()));
    registerMeters();
    // Detections never leave the analyzer JVM, so the consumer is local (no cluster subscription).
    consumer = vertx.eventBus().localConsumer(Addresses.detections(camera), this::onDetections);
    // passes an earlier run left in the outbox are sent by the node's OutboxResendVerticle
    passes = new PassPublisher(vertx, camera, outbox);
    events = new EventLog(vertx);
    configUpdates = JudgeConfigUpdates.listen(vertx, camera, this::onConfig);
    // the zone editor's stored geometry judges from the first frame when a node can tell it
    storedGeometry = new StoredGeometryLookup(vertx, camera, this::onConfig);
    return Future.all(consumer.completion(), configUpdates.completion())
        .compose(v -> storedGeometry.start())
        .onSuccess(v -> LOG.info("camera {}: tracking started (queue {})", camera, queueCapacity));
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    if (configUpdates != null) {
      configUpdates.unregister();
    }
    if (storedGeometry != null) {
      storedGeometry.stop();
    }
    if (judge != null && passes != null) {
      passes.publish(judge.finishAll());
      tellZone(judge.takeZoneChanges());
    }
    Future<?> flushed = passes == null ? Future.succeededFuture() : passes.close(5_000);
    return Future.join(unregistered, flushed)
        .onComplete(
            ar -> {
              if (queue != null) {
                queue.close();
              }
              meters.forEach(Meters.registry()::remove);
              meters.clear();
              StageTimestamps.forget(camera, "track");
              LOG.info("camera {}: tracking stopped", camera);
            });
  }

  private void onDetections(Message<Detections> message) {
    Detections detections = message.body();
    if (detections == null) {
      return;
    }
    String traceparent = FrameTraces.of(message);
    if (traceparent != null) {
      traces.put(detections.seq(), traceparent);
    }
    queue.offer(detections);
    // Deliveries already queued on the loop land in the bounded queue before the drain runs.
    if (!drainScheduled) {
      drainScheduled = true;
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    drainScheduled = false;
    Detections d;
    while ((d = queue.poll()) != null) {
      try {
        process(d);
      } catch (RuntimeException e) {
        invalid.increment();
        warn("frame " + d.seq() + " failed: " + e);
      }
    }
  }

  private void process(Detections d) {
    Span track = FrameTraces.startStage("track", traces.remove(d.seq()));
    try {
      process(d, track);
    } catch (RuntimeException e) {
      track.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      track.end();
    }
  }

  private void process(Detections d, Span track) {
    if (!camera.equals(d.camera()) || d.runId() == null || !Double.isFinite(d.tsUtc())) {
      invalid.increment();
      warn(
          "detections of camera "
              + d.camera()
              + ", run "
              + d.runId()
              + ", ts_utc "
              + d.tsUtc()
              + " discarded");
      return;
    }
    switch (order.admit(d.runId(), d.seq())) {
      case STALE -> {
        stale.increment();
        return;
      }
      case NEW_RUN -> startRun(d.runId());
      case NEXT -> {}
    }
    if (judge == null) {
      throw new IllegalStateException(
          "no judge for run " + d.runId() + " (its geometry was refused)");
    }
    long started = System.nanoTime();
    ByteTracker.Update update = tracker.update(d.tsUtc(), d.items());
    String starving = starved.observe(d.items(), update.tracks().size());
    if (starving != null) {
      LOG.warn("camera {}: {}", camera, starving);
      events.watchdog(camera, "tracker_starved", "warned", starving);
    }
    track.setAttribute("tracks", update.tracks().size());
    // The one place the judge sees a frame; passes it reports are handled right here.
    Span judged = FrameTraces.startStage("judge", FrameTraces.traceparent(track));
    CameraJudge.Step step;
    try {
      step = judge.observe(d.seq(), d.tsUtc(), update.tracks(), update.ended());
      passes.handle(step);
      tellZone(step.zone());
    } finally {
      judged.end();
    }
    FrameMetadata metadata =
        new FrameMetadata(
            camera,
            d.runId(),
            d.seq(),
            d.tsUtc(),
            step.tracks(),
            judge.config().stopZone(),
            d.rawWidth(),
            d.rawHeight(),
            d.scaledWidth(),
            d.scaledHeight(),
            judge.speedUnit());
    latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    activeTracks = update.tracks().size();
    StageTimestamps.mark(camera, "track", d.tsUtc());
    vertx
        .eventBus()
        .publish(
            Addresses.metadata(camera), metadata, FrameTraces.carry(new DeliveryOptions(), judged));
  }

  private void startRun(String runId) {
    if (judge != null) {
      passes.publish(judge.finishAll());
      tellZone(judge.takeZoneChanges());
    }
    tracker = null;
    judge = null;
    activeTracks = 0;
    judge = new CameraJudge(camera, runId, judgeConfig);
    tracker = new ByteTracker(trackerConfig);
    starved = starved == null ? new StarvedTracker(trackerConfig) : starved;
    LOG.info("camera {}: tracking decode session {} (tracker reset)", camera, runId);
  }

  /** The config file's (version null) or the zone editor's stored geometry (its version). */
  private void onConfig(JudgeConfig update, Long version) {
    JudgeConfig next =
        version == null ? settings.fromFile(update) : settings.stored(update, version);
    if (next != null) {
      reconfigure(next);
    }
  }

  /**
   * New zones and thresholds at run time: the judge keeps its tracks, later runs start with them.
   */
  private void reconfigure(JudgeConfig config) {
    judgeConfig = config;
    if (judge != null) {
      judge.reconfigure(config);
    }
  }

  /** Stores each zone entry and exit as an event of the track, at its capture time. */
  private void tellZone(List<CameraJudge.ZoneChange> changes) {
    for (CameraJudge.ZoneChange change : changes) {
      events.record(
          new CameraEvent(
              UUID.randomUUID(),
              change.tsUtc(),
              camera,
              change.kind(),
              change.trackId(),
              new JsonObject().put("how", change.how()).put("run_id", judge.runId())));
    }
  }

  /** Logs bad input at most once a minute, with how many failures came since the last line. */
  private void warn(String what) {
    badInput.warn("camera {}: {}", camera, what);
  }

  private void registerMeters() {
    MeterRegistry registry = Meters.registry();
    meters.add(
        Gauge.builder("stopsign_tracks_active", this, v -> v.activeTracks)
            .description("Confirmed tracks in view in the last tracked frame")
            .tag("camera", camera)
            .register(registry));
    latency =
        Timer.builder("stopsign_tracking_latency")
            .description("Tracker and judge time per frame")
            .tag("camera", camera)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(registry);
    stale =
        Counter.builder("stopsign_tracking_discarded")
            .description("Detections discarded by tracking")
            .tags("camera", camera, "reason", "stale")
            .register(registry);
    invalid =
        Counter.builder("stopsign_tracking_discarded")
            .description("Detections discarded by tracking")
            .tags("camera", camera, "reason", "invalid")
            .register(registry);
    meters.add(latency);
    meters.add(stale);
    meters.add(invalid);
  }
}
