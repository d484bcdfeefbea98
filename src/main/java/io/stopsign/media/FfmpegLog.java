package io.stopsign.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * FFmpeg's own logging: off below FATAL, because it logs per packet on a bad stream while we log
 * one line per state change. {@code -Dstopsign.ffmpeg.loglevel=32} (info) or 48 (debug) brings it
 * back.
 */
public final class FfmpegLog {
  static {
    av_log_set_level(Integer.getInteger("stopsign.ffmpeg.loglevel", AV_LOG_FATAL));
  }

  /** Applies the log level; cheap and idempotent, call before using FFmpeg. */
  public static void init() {
    // the static initializer did the work
  }

  private FfmpegLog() {}
}
