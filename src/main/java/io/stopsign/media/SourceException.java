package io.stopsign.media;

/**
 * A source could not be opened or read. The message is the short reason shown in logs and in the
 * readiness data ("connection refused", "file not found: x.mp4"), never a stack trace.
 */
public final class SourceException extends Exception {
  private final int ffmpegCode;

  public SourceException(String reason) {
    this(reason, 0);
  }

  public SourceException(String reason, int ffmpegCode) {
    super(reason, null, false, false);
    this.ffmpegCode = ffmpegCode;
  }

  /** The FFmpeg error code behind the failure, 0 when it did not come from FFmpeg. */
  public int ffmpegCode() {
    return ffmpegCode;
  }
}
