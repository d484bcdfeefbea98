package io.stopsign.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.DropOldestQueue;
import io.stopsign.bus.FrameTraces;
import io.stopsign.common.RateLimitedLog;
import io.stopsign.media.Frame;
import io.stopsign.ops.Meters;
import io.stopsign.ops.StageTimestamps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector stage of one camera: frames from {@link Addresses#frames} go into a drop-oldest
 * queue; a free inference thread takes the newest frame and drops the older ones (a frame that
 * waited is stale), runs the detector and sends {@link Detections} to {@link Addresses#detections}.
 * It tells decode on {@link Addresses#detectorFree} when it expects to be free, so decode scales
 * only frames it will take. With several threads, detections may leave slightly out of frame order.
 */
public final class InferenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);

  private final String camera;
  private final Detector detector;
  private final int queueCapacity;
  private final int threads;
  private final List<Thread> workers = new ArrayList<>();
  private final List<Meter> meters = new ArrayList<>();
  private final RateLimitedLog errorLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private volatile boolean running;
  // trace context of the sampled frames waiting in the queue, by frame number
  private final Map<Long, String> traces = new ConcurrentHashMap<>();
  private DropOldestQueue<Frame> queue;
  private MessageConsumer<Frame> consumer;
  private Counter inferred;
  private Counter errors;
  private Timer latency;
  private Timer wait;
  private DetectorBusy busy;
  private volatile boolean hints = true;
  private final DeliveryOptions localOnly = Addresses.local();

  /**
   * @param detector owned by this verticle from now on: closed in {@link #stop()}
   * @param queueCapacity frames waiting for a free inference thread (1-2 keeps latency low)
   * @param threads dedicated inference threads
   */
  public InferenceVerticle(String camera, Detector detector, int queueCapacity, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("inference threads must be >= 1, got " + threads);
    }
    this.camera = camera;
    this.detector = detector;
    this.queueCapacity = queueCapacity;
    this.threads = threads;
  }

  /**
   * Stops telling decode when the detector will be free: decode then scales every frame and the
   * detector takes the newest one waiting, however old (the plain newest-frame hand-off, which
   * {@code bench --hand-off newest} measures against the default). Call before deploying.
   */
  public InferenceVerticle withoutDecodeHints() {
    hints = false;
    return this;
  }

  @Override
  public Future<?> start() {
    MeterRegistry registry = Meters.registry();
    inferred =
        Counter.builder("stopsign_frames_inferred")
            .description("Frames the detector ran on")
            .tag("camera", camera)
            .register(registry);
    errors =
        Counter.builder("stopsign_inference_errors")
            .description("Frames the detector failed on")
            .tag("camera", camera)
            .register(registry);
    latency =
        Timer.builder("stopsign_inference_latency")
            .description("Time to run the detector on one frame, tensor building and NMS included")
            .tag("camera", camera)
            .publishPercentileHistogram()
            .register(registry);
    wait =
        Timer.builder("stopsign_inference_wait")
            .description("Capture to the detector taking the frame (decode and hand-off)")
            .tag("camera", camera)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    meters.addAll(List.of(inferred, errors, latency, wait));
    busy = new DetectorBusy(threads);
    queue =
        new DropOldestQueue<>(
            "frames." + camera,
            camera,
            queueCapacity,
            Meters.registry(),
            frame -> {
              traces.remove(frame.seq());
              frame.release();
            });
    running = true;
    consumer = vertx.eventBus().localConsumer(Addresses.frames(camera), this::accept);
    return consumer
        .completion()
        .onSuccess(
            v -> {
              for (int i = 0; i < threads; i++) {
                int worker = i;
                Thread t =
                    new Thread(() -> loop(worker), "stopsign-infer-" + camera + "-" + worker);
                t.setDaemon(true);
                workers.add(t);
                t.start();
              }
              LOG.info(
                  "inference started for camera {}: {}, {} thread(s), frame queue {}",
                  camera,
                  detector,
                  threads,
                  queueCapacity);
            });
  }

  @Override
  public Future<?> stop() {
    running = false;
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.eventually(() -> vertx.executeBlocking(this::shutDown, false));
  }

  private void accept(Message<Frame> message) {
    Frame frame = message.body();
    if (running) {
      String traceparent = FrameTraces.of(message);
      if (traceparent != null) {
        traces.put(frame.seq(), traceparent);
      }
      queue.offer(frame);
    } else {
      frame.release();
    }
  }

  private Void shutDown() throws InterruptedException {
    boolean stopped = true;
    for (Thread t : workers) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      stopped &= !t.isAlive();
    }
    queue.close();
    if (stopped) {
      detector.close();
    } else {
      // closing a native session under a running thread could crash the JVM; leak it instead
      LOG.warn(
          "inference thread of camera {} did not stop within 10 s; detector left open", camera);
    }
    meters.forEach(Meters.registry()::remove);
    StageTimestamps.forget(camera, "infer");
    LOG.info("inference stopped for camera {}", camera);
    return null;
  }

  private void loop(int worker) {
    while (running) {
      Frame frame;
      try {
        frame = queue.pollNewest(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (frame != null) {
        long start = System.nanoTime();
        tellDecode(busy.started(worker, start));
        infer(frame, start);
        long freeAt = busy.finished(worker, System.nanoTime() - start);
        if (queue.size() == 0) {
          tellDecode(freeAt); // nothing waiting: the next frame decode has is wanted at once
        }
      }
    }
  }

  private void tellDecode(long freeAtNanos) {
    if (!hints) {
      return;
    }
    vertx.eventBus().send(Addresses.detectorFree(camera), freeAtNanos, localOnly);
  }

  private void infer(Frame frame, long start) {
    wait.record(
        Math.max(0, (long) ((System.currentTimeMillis() / 1000.0 - frame.tsUtc()) * 1e6)),
        TimeUnit.MICROSECONDS);
    Span span = FrameTraces.startStage("infer", traces.remove(frame.seq()));
    Detections detections;
    try {
      detections = detector.detect(frame);
      span.setAttribute("detections", detections.items().size());
    } catch (RuntimeException e) {
      errors.increment();
      span.setStatus(StatusCode.ERROR, e.getMessage());
      span.end();
      logError(frame, e);
      return;
    } finally {
      frame.release();
    }
    // recorded under the frame's span, so a sampled frame leaves its trace id as the exemplar
    try (Scope traced = span.makeCurrent()) {
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    } finally {
      span.end();
    }
    inferred.increment();
    StageTimestamps.mark(camera, "infer", detections.tsUtc());
    vertx
        .eventBus()
        .send(Addresses.detections(camera), detections, FrameTraces.carry(Addresses.local(), span));
  }

  /** At most one line per 10 s, with the count of errors it stands for. */
  private void logError(Frame frame, RuntimeException e) {
    if (errorLog.warn(
        "inference failed on camera {} frame {}: {}", camera, frame.seq(), e.getMessage())) {
      LOG.debug("inference failure", e);
    }
  }
}
