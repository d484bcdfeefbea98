package io.stopsign.media;

import java.nio.ByteBuffer;

/**
 * One decoded frame, scaled once to the detector's input geometry. {@code pixels} is packed RGB24
 * ({@code width * height * 3} bytes, row stride {@code width * 3}) in a pooled direct buffer; the
 * last holder calls {@link #release()} to hand it back. {@code width}/{@code height} are the scaled
 * content (a letterboxing detector pads it itself); boxes are mapped back to {@code
 * rawWidth}/{@code rawHeight}.
 *
 * @param tsUtc capture time, seconds since the epoch (DESIGN "Time")
 */
public record Frame(
    String camera,
    String runId,
    long seq,
    double tsUtc,
    int rawWidth,
    int rawHeight,
    int width,
    int height,
    ByteBuffer pixels,
    Runnable releaser) {

  /** Returns the pixel buffer to its pool; safe to call more than once. */
  public void release() {
    releaser.run();
  }
}
