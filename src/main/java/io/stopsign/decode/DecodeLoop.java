package io.stopsign.decode;

import io.stopsign.common.Backoff;
import io.stopsign.media.Frame;
import io.stopsign.media.MediaTap;
import io.stopsign.media.SourceException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one camera on its own thread: connect, hand every frame on, and on failure or end of
 * the source back off and reconnect (a new run id each time) until stopped. One log line and one
 * event per state change, none per frame.
 */
final class DecodeLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DecodeLoop.class);
  // a session that streamed this long before its end was a healthy play-through, not a failure
  private static final Duration PLAYED_THROUGH = Duration.ofSeconds(2);

  /** Receives each state change: the new state, its reason, the session's run id. */
  interface StateListener {
    void changed(SourceState.State state, String reason, String runId);
  }

  private final SourceOptions base;
  private final MediaTap tap;
  private final SourceState state;
  private final Backoff backoff;
  private final Consumer<Frame> sink;
  private final DecodeMeters meters;
  private final StateListener listener;
  private volatile boolean running = true;
  private volatile FrameSource current;
  private volatile long openingSince;

  DecodeLoop(
      SourceOptions base,
      MediaTap tap,
      SourceState state,
      Backoff backoff,
      Consumer<Frame> sink,
      DecodeMeters meters,
      StateListener listener) {
    this.base = base;
    this.tap = tap;
    this.state = state;
    this.backoff = backoff;
    this.sink = sink;
    this.meters = meters;
    this.listener = listener;
  }

  @Override
  public void run() {
    String camera = base.camera();
    String display = base.source().display();
    long seq = 0;
    while (running) {
      String runId = FrameSource.newRunId();
      long connectedAt = 0;
      String reason;
      SourceState.State next;
      FrameSource source = null;
      try {
        openingSince = System.nanoTime();
        try {
          source = FrameSource.open(base.withSession(runId, seq), tap, () -> !running);
        } finally {
          openingSince = 0;
        }
        current = source;
        if (!running) {
          break;
        }
        connectedAt = System.nanoTime();
        state.runId(runId);
        state.set(SourceState.State.STREAMING, "");
        LOG.info(
            "{} connected to {} ({} {}x{} at {} fps, run {})",
            camera,
            display,
            source.codecName(),
            source.rawWidth(),
            source.rawHeight(),
            Math.round(source.fps() * 100) / 100.0,
            runId);
        listener.changed(SourceState.State.STREAMING, "", runId);
        long errorsSeen = 0;
        long skippedSeen = 0;
        Frame frame;
        while (running && (frame = source.next()) != null) {
          meters.frame(frame.tsUtc());
          meters.skipped(source.framesSkipped() - skippedSeen);
          skippedSeen = source.framesSkipped();
          state.frame(frame.tsUtc());
          if (source.decodeErrors() != errorsSeen) {
            meters.errors(source.decodeErrors() - errorsSeen);
            errorsSeen = source.decodeErrors();
          }
          sink.accept(frame);
        }
        reason = "end of stream";
        next = SourceState.State.ENDED;
      } catch (SourceException e) {
        reason = e.getMessage();
        next = SourceState.State.RECONNECTING;
        meters.errors(1);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        reason = "unexpected " + e;
        next = SourceState.State.RECONNECTING;
        meters.errors(1);
        LOG.error("{} decode failed", camera, e);
      } finally {
        current = null;
        if (source != null) {
          seq = source.nextSeq();
          source.close();
        }
      }
      if (!running) {
        break;
      }
      Duration streamed =
          connectedAt == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - connectedAt);
      if (next == SourceState.State.ENDED && streamed.compareTo(PLAYED_THROUGH) >= 0) {
        // a source that played to its end (a clip served in a loop, a file without loop) starts
        // over at once: a backoff grown over its earlier ends would leave the page without video
        backoff.reset();
      }
      Duration delay = backoff.next(streamed);
      state.set(next, reason);
      meters.reconnect();
      LOG.warn("{} reconnecting in {}: {}", camera, human(delay), reason);
      listener.changed(next, reason, runId);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        break;
      }
    }
    state.set(SourceState.State.STOPPED, "stopped");
  }

  /** Ends the loop: wakes a blocked FFmpeg call; the caller also interrupts the thread. */
  void stop() {
    running = false;
    FrameSource source = current;
    if (source != null) {
      source.abort();
    }
  }

  /** How long the decode thread has been inside one FFmpeg call (0 when outside). */
  long busyNanos() {
    long opening = openingSince;
    if (opening != 0) {
      return System.nanoTime() - opening;
    }
    FrameSource source = current;
    return source == null ? 0 : source.busyNanos();
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0
        ? ms / 1000 + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
