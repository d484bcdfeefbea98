package io.stopsign.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture time of each frame (DESIGN "Time"): the RTCP sender-report clock when an RTSP source has
 * one (start_time_realtime + pts * time_base), otherwise the wall clock at the first packet + pts.
 * Also paces non-live sources so that frame {@code pts} is handed out at its media time.
 */
final class SourceClock {
  // behind real time by more than this (a stall, a slow disk): re-anchor instead of bursting
  private static final double MAX_LAG_SECONDS = 1.0;
  // a sender clock further off than this is wrong (no NTP on the camera): keep ours
  private static final double MAX_CLOCK_SKEW_SECONDS = 5.0;
  private static final Logger LOG = LoggerFactory.getLogger(SourceClock.class);

  private final String camera;

  private final double timeBase;
  private final boolean paced;
  private long firstPts = AV_NOPTS_VALUE;
  private double wallAtFirst;
  private long nanosAtFirst;
  private long ntpStartMicros = AV_NOPTS_VALUE;
  // part of the step to the sender's clock not applied yet: slewed in, never jumped
  private double pendingSeconds;
  private boolean senderRejected;

  SourceClock(String camera, int tbNum, int tbDen, boolean paced) {
    this.camera = camera;
    this.timeBase = (double) tbNum / tbDen;
    this.paced = paced;
  }

  /** Anchors {@code pts} to now; call when the first packet of the session arrives. */
  void anchor(long pts) {
    anchor(pts, System.currentTimeMillis() / 1000.0);
  }

  /** Anchors {@code pts} to the wall-clock time {@code wallSeconds} (once per session). */
  void anchor(long pts, double wallSeconds) {
    if (firstPts == AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE) {
      firstPts = pts;
      wallAtFirst = wallSeconds;
      nanosAtFirst =
          System.nanoTime() - (long) ((System.currentTimeMillis() / 1000.0 - wallSeconds) * 1e9);
    }
  }

  boolean anchored() {
    return firstPts != AV_NOPTS_VALUE;
  }

  /**
   * Offers the sender's NTP start time (AVFormatContext.start_time_realtime, microseconds; RTSP
   * with RTCP sender reports). The first valid one switches capture times to the sender's clock,
   * the step between the clocks at {@code pts} being slewed in over the next frames (see {@link
   * #frameTs}); a clock more than 5 s off ours is refused once, with a warning.
   */
  void offerSenderClock(long startTimeRealtimeMicros, long pts) {
    if (ntpStartMicros != AV_NOPTS_VALUE
        || senderRejected
        || startTimeRealtimeMicros == AV_NOPTS_VALUE
        || startTimeRealtimeMicros <= 0
        || firstPts == AV_NOPTS_VALUE) {
      return;
    }
    double local = tsUtc(pts);
    double skew = startTimeRealtimeMicros / 1e6 + pts * timeBase - local;
    if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
      senderRejected = true;
      LOG.warn(
          "{} camera clock differs from ours by {} s: capture times use the local receive clock",
          camera,
          Math.round(skew));
      return;
    }
    ntpStartMicros = startTimeRealtimeMicros;
    pendingSeconds = skew;
    LOG.info(
        "{} capture times follow the RTCP sender reports ({} ms from the local clock, slewed in)",
        camera,
        Math.round(skew * 1000));
  }

  boolean ntp() {
    return ntpStartMicros != AV_NOPTS_VALUE;
  }

  /** Seconds of media since the first packet. */
  double mediaSeconds(long pts) {
    return (pts - firstPts) * timeBase;
  }

  /** Capture time of {@code pts}, epoch seconds, as the clock stands now. */
  double tsUtc(long pts) {
    if (ntpStartMicros != AV_NOPTS_VALUE) {
      return ntpStartMicros / 1e6 + pts * timeBase - pendingSeconds;
    }
    return wallAtFirst + mediaSeconds(pts);
  }

  /**
   * Capture time of the next frame: as {@link #tsUtc}, but first takes a step of the pending clock
   * change, at most a quarter of a frame interval, so frame spacing stays within 25% of the truth.
   */
  double frameTs(long pts, double frameSeconds) {
    if (pendingSeconds != 0) {
      double step = Math.min(Math.abs(pendingSeconds), frameSeconds / 4);
      pendingSeconds -= Math.copySign(step, pendingSeconds);
    }
    return tsUtc(pts);
  }

  /** When {@code pts} is handed on (System.nanoTime): its media time when paced, else now. */
  long dueNanos(long pts) {
    long now = System.nanoTime();
    if (!paced || firstPts == AV_NOPTS_VALUE) {
      return now;
    }
    return Math.max(now, nanosAtFirst + (long) (mediaSeconds(pts) * 1e9));
  }

  /** For paced sources, sleeps until {@code pts} is due; returns at once otherwise. */
  void pace(long pts) throws InterruptedException {
    if (!paced || firstPts == AV_NOPTS_VALUE) {
      return;
    }
    // monotonic clock for sleeping, so a wall-clock step does not stall or burst playback
    long aheadNanos = nanosAtFirst + (long) (mediaSeconds(pts) * 1e9) - System.nanoTime();
    if (aheadNanos > 0) {
      Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
    } else if (-aheadNanos > MAX_LAG_SECONDS * 1e9) {
      nanosAtFirst -= aheadNanos;
      wallAtFirst -= aheadNanos / 1e9;
    }
  }

  double timeBase() {
    return timeBase;
  }
}
