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
 * A newest frame that has already waited over half a frame interval is replaced by the next one,
 * due within half an interval: the detector idles less than that instead of analysing a frame older
 * than that. It tells decode on {@link Addresses#detectorFree} when it expects to be free, so
 * decode scales only frames it will take. With several threads, detections may leave slightly out
 * of frame order.
 */
public final class InferenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);

  // a camera slower than one frame a second: the detector takes what it has rather than wait
  private static final double MAX_WAIT_INTERVAL_SECONDS = 1;

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
  private DropOldestQueue<Queued> queue;
  private MessageConsumer<Frame> consumer;
  private Counter inferred;
  private Counter errors;
  private Timer latency;
  private Timer wait;
  private DetectorBusy busy;
  private volatile boolean waitForNext = true;
  // the camera's frame interval (ns, 0 until two frames came), from the frames' capture times
  private volatile long intervalNanos;
  private long lastSeq = -1;
  private double lastTsUtc;
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
   * The plain newest-frame hand-off, which {@code bench --hand-off newest} measures against the
   * default: the detector takes the newest frame waiting however old, never waiting for the next,
   * and tells decode nothing (decode scales every frame). Call before deploying.
   */
  public InferenceVerticle takingNewest() {
    waitForNext = false;
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
            queued -> {
              traces.remove(queued.frame().seq());
              queued.frame().release();
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
      measureInterval(frame);
      queue.offer(new Queued(frame, System.nanoTime()));
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

  /** A frame in the queue and when it came in (System.nanoTime). */
  private record Queued(Frame frame, long arrivedNanos) {}

  /** The frame interval from consecutive capture times (skipped frames leave gaps in seq). */
  private void measureInterval(Frame frame) {
    if (lastSeq >= 0 && frame.seq() > lastSeq) {
      double seconds = (frame.tsUtc() - lastTsUtc) / (frame.seq() - lastSeq);
      if (seconds > 0 && seconds <= MAX_WAIT_INTERVAL_SECONDS) {
        long nanos = (long) (seconds * 1e9);
        long average = intervalNanos;
        intervalNanos = average == 0 ? nanos : average + (nanos - average) / 8;
      }
    }
    lastSeq = frame.seq();
    lastTsUtc = frame.tsUtc();
  }

  private void loop(int worker) {
    while (running) {
      Queued queued;
      try {
        queued = queue.pollNewest(200, TimeUnit.MILLISECONDS);
        if (queued != null && waitForNext) {
          queued = fresher(queued);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (queued != null) {
        Frame frame = queued.frame();
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

  /**
   * {@code taken}, unless it has waited over half a frame interval: then the next frame, due within
   * half an interval, is fresher by more than the detector idles for it. Waits for it up to one and
   * a half intervals (decode may have skipped the next one on an early estimate; a stalled stream
   * sends none) and falls back on {@code taken}.
   */
  private Queued fresher(Queued taken) throws InterruptedException {
    long interval = intervalNanos;
    if (interval == 0 || System.nanoTime() - taken.arrivedNanos() <= interval / 2) {
      return taken;
    }
    tellDecode(0); // free now: decode scales the next frame whatever it expected
    Queued next;
    try {
      next = queue.pollNewest(interval + interval / 2, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      queue.discard(taken); // its pooled buffer goes back
      throw e;
    }
    if (next == null) {
      return taken;
    }
    queue.discard(taken);
    return next;
  }

  private void tellDecode(long freeAtNanos) {
    if (!waitForNext) {
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
