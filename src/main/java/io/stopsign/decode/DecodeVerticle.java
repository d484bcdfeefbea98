package io.stopsign.decode;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.FrameTraces;
import io.stopsign.bus.HealthReporter;
import io.stopsign.camera.CameraConfig;
import io.stopsign.common.Backoff;
import io.stopsign.hls.HlsStream;
import io.stopsign.hls.SegmentListener;
import io.stopsign.media.FfmpegLog;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.media.MediaTap;
import io.stopsign.ops.EventLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decode stage of one camera: runs {@link DecodeLoop} on its own thread (never an event loop or
 * the shared worker pool), {@code send}s each {@link Frame} to {@link Addresses#frames}, answers
 * snapshot and still-frame requests from its ring of full-resolution pictures ({@link Snapshots}),
 * optionally writes embedded HLS, and reports the readiness check {@code camera.<id>} on the bus. A
 * watchdog exits the process (status 1) only when the decode thread is stuck inside one FFmpeg call
 * past the stall timeout.
 */
public final class DecodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DecodeVerticle.class);
  private static final long RING_BUDGET_BYTES = 128L << 20;
  private static final long EXIT_EVENT_WAIT_MS = 2000;

  private final CameraConfig camera;
  private final InputGeometry geometry;
  private final Path dataDir;
  private final boolean serveHls;
  private final String node;
  private HealthReporter health;
  private EventLog events;
  private Duration staleAfter = Duration.ofSeconds(5);
  private Duration stallTimeout = Duration.ofSeconds(60);
  private Backoff backoff = Backoff.standard();
  private Duration openTimeout = SourceOptions.OPEN_TIMEOUT;
  private Duration readTimeout = SourceOptions.READ_TIMEOUT;
  private int poolSize = 8;
  private SegmentListener recording;

  private SourceState state;
  private FrameRing ring;
  private MediaTap tap;
  private DecodeMeters meters;
  private DecodeLoop loop;
  private Thread thread;
  private long watchdogTimer = -1;
  private boolean exiting;
  private final AtomicBoolean codecWarned = new AtomicBoolean();
  // when inference expects to be free (System.nanoTime, 0 = now), from its detector-free messages
  private volatile long detectorFreeAt;

  /**
   * @param geometry the detector's input; frames are scaled once to its content size
   * @param dataDir where snapshots ({@code snapshots/...}) and embedded HLS ({@code hls/<camera>/})
   *     go
   * @param serveHls write embedded HLS (no MediaMTX configured)
   * @param node this process in the cluster, named in its health reports
   */
  public DecodeVerticle(
      CameraConfig camera, InputGeometry geometry, Path dataDir, boolean serveHls, String node) {
    this.camera = camera;
    this.geometry = geometry;
    this.dataDir = dataDir;
    this.serveHls = serveHls;
    this.node = node;
  }

  /** No frame for this long makes the camera not ready (default 5 s). */
  public DecodeVerticle staleAfter(Duration value) {
    staleAfter = value;
    return this;
  }

  /** The decode thread stuck inside one FFmpeg call this long exits the process (default 60 s). */
  public DecodeVerticle stallTimeout(Duration value) {
    stallTimeout = value;
    return this;
  }

  /** How long a source may take to open (each step) and to send its next packet. */
  public DecodeVerticle timeouts(Duration open, Duration read) {
    openTimeout = open;
    readTimeout = read;
    return this;
  }

  /** Reconnect delays (default 0.5 s doubling to 30 s, reset after a healthy minute). */
  public DecodeVerticle backoff(Backoff value) {
    backoff = value;
    return this;
  }

  /** Detector-sized buffers kept for reuse: frame queue capacity + inference instances + spare. */
  public DecodeVerticle poolSize(int value) {
    poolSize = value;
    return this;
  }

  /**
   * Tells {@code listener} of each finished video segment (replay clips), on the decode thread; the
   * segments are written even when HLS is not served.
   */
  public DecodeVerticle recording(SegmentListener listener) {
    recording = listener;
    return this;
  }

  @Override
  public Future<?> start() {
    SourceSpec spec;
    try {
      spec = SourceSpec.parse(camera.source());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          new IllegalArgumentException("camera " + camera.id() + ": " + e.getMessage()));
    }
    state = new SourceState(spec.display(), staleAfter.toNanos());
    ring = new FrameRing(2.0, RING_BUDGET_BYTES);
    meters = new DecodeMeters(camera.id());
    events = new EventLog(vertx);
    health = new HealthReporter(vertx, "camera." + camera.id(), node, state::status).start();
    SourceOptions options =
        SourceOptions.of(spec, camera.id(), geometry)
            .withLoop(camera.loop())
            .withPoolSize(poolSize)
            .withTimeouts(openTimeout, readTimeout)
            .withDetectorFreeAt(() -> detectorFreeAt);
    // the first FFmpeg use loads its native libraries: seconds, so not on the event loop
    return vertx
        .executeBlocking(this::buildTaps, false)
        .compose(
            built -> {
              tap = built;
              MessageConsumer<Long> free =
                  vertx
                      .eventBus()
                      .localConsumer(
                          Addresses.detectorFree(camera.id()),
                          m -> detectorFreeAt = m.body() == null ? 0 : m.body());
              return Future.all(
                  new Snapshots(vertx, camera.id(), ring, dataDir).register(), free.completion());
            })
        .onSuccess(
            v -> {
              loop =
                  new DecodeLoop(
                      options, tap, state, backoff, this::forward, meters, this::publishState);
              thread = new Thread(loop, "decode-" + camera.id());
              thread.setDaemon(true);
              thread.start();
              watchdogTimer =
                  vertx.setPeriodic(Math.max(500, stallTimeout.toMillis() / 4), id -> checkStall());
            });
  }

  private MediaTap buildTaps() {
    FfmpegLog.init();
    List<MediaTap> taps = new ArrayList<>(List.of(ring));
    if (serveHls || recording != null) {
      HlsStream hls = new HlsStream(camera.id(), dataDir.resolve("hls").resolve(camera.id()));
      taps.add(recording == null ? hls : hls.onSegment(recording));
    }
    return MediaTap.of(taps);
  }

  /** The camera's source state, as the readiness check reports it. */
  public SourceState sourceState() {
    return state;
  }

  private void forward(Frame frame) {
    // the root span of a sampled frame's trace; each later stage adds its own under it
    Span span = FrameTraces.startFrame("decode", camera.id(), frame.seq(), frame.tsUtc());
    double captured = frame.tsUtc();
    try {
      vertx
          .eventBus()
          .send(Addresses.frames(camera.id()), frame, FrameTraces.carry(Addresses.local(), span));
    } catch (IllegalArgumentException e) {
      span.setStatus(StatusCode.ERROR, "not sent");
      frame.release();
      if (codecWarned.compareAndSet(false, true)) {
        LOG.error(
            "{} frames cannot go on the bus (codecs not registered?): {}",
            camera.id(),
            e.getMessage());
      }
    } finally {
      try (Scope traced = span.makeCurrent()) {
        meters.handedOff(captured);
      }
      span.end();
    }
  }

  private void publishState(SourceState.State newState, String reason, String runId) {
    events.record(
        camera.id(),
        EventLog.SOURCE_STATE,
        new JsonObject()
            .put("state", newState.label())
            .put("reason", reason)
            .put("run_id", runId)
            .put("source", state.source()));
  }

  private void checkStall() {
    long busy = loop == null ? 0 : loop.busyNanos();
    if (busy > stallTimeout.toNanos() && !exiting) {
      exiting = true;
      long stuck = TimeUnit.NANOSECONDS.toSeconds(busy);
      LOG.error(
          "{} decode thread stuck inside FFmpeg for {} s: exiting so that the process is restarted",
          camera.id(),
          stuck);
      // the audit row first, but a persistence that does not answer must not hold the exit back
      events
          .watchdog(
              camera.id(), "decode_stall", "exit", "decode stuck inside FFmpeg for " + stuck + " s")
          .timeout(EXIT_EVENT_WAIT_MS, TimeUnit.MILLISECONDS)
          .onComplete(ar -> exitProcess());
    }
  }

  private static void exitProcess() {
    Thread exit = new Thread(() -> System.exit(1), "decode-watchdog-exit");
    exit.start();
    Thread halt =
        new Thread(
            () -> {
              try {
                exit.join(10_000);
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(1); // shutdown hooks hung as well
            },
            "decode-watchdog-halt");
    halt.setDaemon(true);
    halt.start();
  }

  @Override
  public Future<?> stop() {
    if (watchdogTimer >= 0) {
      vertx.cancelTimer(watchdogTimer);
    }
    if (health != null) {
      health.stop();
    }
    if (loop == null) {
      if (tap != null) {
        tap.close();
      }
      meters.close();
      return Future.succeededFuture();
    }
    loop.stop();
    thread.interrupt();
    return vertx.executeBlocking(
        () -> {
          thread.join(TimeUnit.SECONDS.toMillis(10));
          if (thread.isAlive()) {
            // freeing native state under a running FFmpeg call would crash the process
            LOG.warn(
                "{} decode thread did not stop within 10 s; its native resources are left",
                camera.id());
          } else {
            tap.close();
          }
          meters.close();
          LOG.info("{} decode stopped", camera.id());
          return null;
        });
  }
}
