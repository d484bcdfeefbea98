package io.stopsign.decode;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import io.stopsign.media.FfmpegErrors;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.media.MediaTap;
import io.stopsign.media.SourceException;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera session without Vert.x: demuxes, decodes and scales each picture once to the
 * detector's geometry (packed RGB24 in pooled direct buffers), with capture timestamps, real-time
 * pacing for files and optional looping. {@link #next()} blocks; every blocking FFmpeg call is
 * bounded by a timeout. Not thread-safe, except {@link #abort()} and {@link #busyNanos()}.
 */
public final class FrameSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameSource.class);
  // a run of undecodable packets this long means the stream is garbage, not a glitch
  private static final int MAX_CONSECUTIVE_DECODE_ERRORS = 300;

  private final SourceOptions options;
  private final MediaTap tap;
  private final IoWatch watch;
  private final SourceInput input;
  private final FrameScaler scaler;
  private final FramePool pool;
  private final SourceClock clock;
  private final AVPacket packet;
  private final AVFrame frame;
  private long nextSeq;
  private long lastPts = AV_NOPTS_VALUE;
  private double lastTs = Double.NEGATIVE_INFINITY;
  private long firstFramePts = AV_NOPTS_VALUE;
  private long endPts = AV_NOPTS_VALUE;
  private long loopOffset;
  private boolean draining;
  private boolean sessionOpen;
  private long frames;
  private long skipped;
  private long decodeErrors;
  private int consecutiveErrors;

  private FrameSource(SourceOptions options, MediaTap tap, IoWatch watch, SourceInput input) {
    InputGeometry.Size size = options.geometry().contentSize(input.width(), input.height());
    this.options = options;
    this.tap = tap;
    this.watch = watch;
    this.input = input;
    this.nextSeq = options.firstSeq();
    this.pool =
        new FramePool(options.camera(), size.width() * size.height() * 3, options.poolSize());
    this.clock =
        new SourceClock(
            options.camera(),
            input.timeBaseNum(),
            input.timeBaseDen(),
            options.source().paced() && !options.unpaced());
    this.scaler = new FrameScaler(size.width(), size.height());
    this.packet = av_packet_alloc();
    this.frame = av_frame_alloc();
  }

  /**
   * Opens the source and starts a session; {@code tap} (may be null) sees the session's packets and
   * full-resolution pictures. Blocks at most about the open timeout.
   */
  public static FrameSource open(SourceOptions options, MediaTap tap) throws SourceException {
    return open(options, tap, () -> false);
  }

  /**
   * As {@link #open(SourceOptions, MediaTap)}; {@code cancelled} is polled during every blocking
   * call and ends it when true (the owner is stopping), also while opening.
   */
  public static FrameSource open(SourceOptions options, MediaTap tap, BooleanSupplier cancelled)
      throws SourceException {
    IoWatch watch = new IoWatch(cancelled);
    SourceInput input;
    try {
      input =
          SourceInput.open(
              options.source(), options.decoderThreads(), options.openTimeoutNanos(), watch);
    } catch (SourceException | RuntimeException e) {
      watch.close();
      throw e;
    }
    FrameSource source;
    try {
      source = new FrameSource(options, tap == null ? new MediaTap() {} : tap, watch, input);
    } catch (RuntimeException e) {
      input.close();
      watch.close();
      throw e;
    }
    try {
      source.tap.onSessionStart(source.input.session(options.camera(), options.runId()));
      source.sessionOpen = true;
      return source;
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /**
   * The next frame, or null when a non-looping source ended. The caller releases the frame (or the
   * one who takes it from the bus does). Throws on read errors and timeouts, with a short reason.
   */
  public Frame next() throws SourceException, InterruptedException {
    while (true) {
      if (watch.aborted()) {
        throw new SourceException("stopped");
      }
      int r = avcodec_receive_frame(input.decoder(), frame);
      if (r == 0) {
        try {
          Frame out = emit();
          if (out != null) {
            return out;
          }
        } finally {
          av_frame_unref(frame);
        }
      } else if (r == AVERROR_EOF) {
        if (options.loop() && rewind()) {
          continue;
        }
        return null;
      } else if (r == AVERROR_EAGAIN()) {
        readPacket();
      } else {
        throw new SourceException("decode: " + FfmpegErrors.describe(r), r);
      }
    }
  }

  private void readPacket() throws SourceException {
    if (draining) {
      throw new SourceException("decoder wants input after the end of stream");
    }
    watch.enter(options.readTimeoutNanos());
    int r = av_read_frame(input.format(), packet);
    watch.exit();
    if (r == AVERROR_EOF) {
      draining = true;
      avcodec_send_packet(input.decoder(), (AVPacket) null);
      return;
    }
    if (r < 0) {
      throw new SourceException(input.readFailure(r), r);
    }
    try {
      if (packet.stream_index() != input.videoIndex()) {
        return;
      }
      if (loopOffset != 0) {
        packet.pts(shift(packet.pts()));
        packet.dts(shift(packet.dts()));
      }
      long when = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
      if (input.live()) {
        clock.anchor(when, input.openedAt());
      } else {
        clock.anchor(when);
      }
      checkSenderClock(when);
      tap.onPacket(packet, when == AV_NOPTS_VALUE ? Math.max(lastTs, 0) : clock.tsUtc(when));
      int sent = avcodec_send_packet(input.decoder(), packet);
      if (sent < 0 && sent != AVERROR_EAGAIN()) {
        decodeErrors++;
        if (++consecutiveErrors > MAX_CONSECUTIVE_DECODE_ERRORS) {
          throw new SourceException("undecodable stream: " + FfmpegErrors.describe(sent), sent);
        }
      }
    } finally {
      av_packet_unref(packet);
    }
  }

  private long shift(long ts) {
    return ts == AV_NOPTS_VALUE ? ts : ts + loopOffset;
  }

  private Frame emit() throws SourceException, InterruptedException {
    consecutiveErrors = 0;
    long pts = frame.best_effort_timestamp();
    if (pts == AV_NOPTS_VALUE) {
      pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + input.frameDuration();
    }
    if (firstFramePts == AV_NOPTS_VALUE) {
      firstFramePts = pts;
    }
    clock.anchor(pts);
    double ts = clock.frameTs(pts, input.frameDuration() * clock.timeBase());
    if (ts <= lastTs) {
      ts = lastTs + 1e-4; // capture times stay strictly increasing for the tracker
    }
    lastPts = pts;
    lastTs = ts;
    endPts = Math.max(endPts, pts + input.frameDuration());
    long seq = nextSeq++;
    if (!wanted(pts)) {
      // the taps (HLS, snapshots) still see every picture; only the detector's copy is skipped
      tap.onFrame(frame, seq, ts);
      clock.pace(pts);
      skipped++;
      return null;
    }
    FramePool.Lease lease = pool.acquire();
    try {
      scaler.scale(frame, lease.buffer());
      tap.onFrame(frame, seq, ts);
      clock.pace(pts);
    } catch (SourceException | InterruptedException | RuntimeException e) {
      lease.release();
      throw e;
    }
    frames++;
    return new Frame(
        options.camera(),
        options.runId(),
        seq,
        ts,
        frame.width(),
        frame.height(),
        scaler.outWidth(),
        scaler.outHeight(),
        lease.buffer(),
        lease);
  }

  /**
   * False when the detector will be free nearer the next frame's time than this one's: it then
   * waits for the next frame, whose age at inference is under half a frame interval, instead of
   * taking this one older than that (and once the next frame is due before it is free, this one
   * would be replaced anyway). Scaling this one would be wasted work.
   */
  private boolean wanted(long pts) {
    long freeAt = options.detectorFreeAt().getAsLong();
    if (freeAt == 0 || options.unpaced()) {
      return true;
    }
    long half = (long) (input.frameDuration() * clock.timeBase() * 0.5e9);
    return freeAt - (clock.dueNanos(pts) + half) <= 0;
  }

  /** Starts the file over, keeping timestamps continuous; false when the input cannot seek. */
  private boolean rewind() {
    if (firstFramePts == AV_NOPTS_VALUE || endPts == AV_NOPTS_VALUE) {
      return false;
    }
    long start = input.format().start_time();
    int r =
        av_seek_frame(
            input.format(), -1, start == AV_NOPTS_VALUE ? 0 : start, AVSEEK_FLAG_BACKWARD);
    if (r < 0) {
      LOG.info(
          "{} cannot loop {}: {}",
          options.camera(),
          options.source().display(),
          FfmpegErrors.describe(r));
      return false;
    }
    avcodec_flush_buffers(input.decoder());
    draining = false;
    loopOffset = endPts - firstFramePts; // firstFramePts is from the first pass, not shifted
    LOG.debug("{} looped {}", options.camera(), options.source().display());
    return true;
  }

  private void checkSenderClock(long pts) {
    if (!clock.ntp() && pts != AV_NOPTS_VALUE) {
      clock.offerSenderClock(input.startTimeRealtime(), pts);
    }
  }

  /** Makes a blocked or later call return with "stopped"; any thread. */
  public void abort() {
    watch.abort();
  }

  /**
   * How long the calling thread has been inside the current FFmpeg call (0 when outside); any
   * thread.
   */
  public long busyNanos() {
    return watch.busyNanos();
  }

  public String runId() {
    return options.runId();
  }

  /** The sequence number the next frame will get. */
  public long nextSeq() {
    return nextSeq;
  }

  public long framesDecoded() {
    return frames;
  }

  /** Frames decoded but not scaled or handed on, since the detector was busy (see options). */
  public long framesSkipped() {
    return skipped;
  }

  /** Packets the decoder rejected so far (corrupt data); the session survives isolated ones. */
  public long decodeErrors() {
    return decodeErrors;
  }

  public int rawWidth() {
    return input.width();
  }

  public int rawHeight() {
    return input.height();
  }

  public int scaledWidth() {
    return scaler.outWidth();
  }

  public int scaledHeight() {
    return scaler.outHeight();
  }

  public double fps() {
    return input.fps();
  }

  /** FFmpeg decoder threads of this session (1: it decodes on the calling thread). */
  public int decoderThreads() {
    return input.decoderThreads();
  }

  public String codecName() {
    return input.codecName();
  }

  /** True once capture times come from the sender's RTCP clock. */
  public boolean senderClock() {
    return clock.ntp();
  }

  @Override
  public void close() {
    if (sessionOpen) {
      sessionOpen = false;
      try {
        tap.onSessionEnd();
      } catch (RuntimeException e) {
        LOG.warn("{} media tap failed at session end: {}", options.camera(), e.toString());
      }
    }
    av_frame_free(frame);
    av_packet_free(packet);
    scaler.close();
    input.close();
    watch.close();
  }

  /** A new random run id, one per decode session. */
  public static String newRunId() {
    return UUID.randomUUID().toString();
  }
}
