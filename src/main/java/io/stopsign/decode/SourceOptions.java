package io.stopsign.decode;

import io.stopsign.media.InputGeometry;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How to open one decode session.
 *
 * @param firstSeq sequence number of the session's first frame (sequences continue across
 *     reconnects)
 * @param loop start a file over at its end instead of ending
 * @param unpaced decode as fast as possible even where the source would be paced (benchmarks)
 * @param decoderThreads FFmpeg decoder threads (0 = {@link #autoDecoderThreads}, from the picture
 *     size and the cores)
 * @param poolSize detector-sized buffers kept for reuse (frame queue capacity + frames in flight)
 * @param detectorFreeAt when the detector expects to be free (System.nanoTime; 0 = now): a frame
 *     that a newer one will replace before then is decoded for the taps but not scaled or handed on
 */
public record SourceOptions(
    SourceSpec source,
    String camera,
    String runId,
    long firstSeq,
    InputGeometry geometry,
    boolean loop,
    boolean unpaced,
    int decoderThreads,
    int poolSize,
    long openTimeoutNanos,
    long readTimeoutNanos,
    LongSupplier detectorFreeAt) {

  public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /** Defaults for a camera: paced as the source wants, no loop, a new run id. */
  public static SourceOptions of(SourceSpec source, String camera, InputGeometry geometry) {
    return new SourceOptions(
        source,
        camera,
        FrameSource.newRunId(),
        0,
        geometry,
        false,
        false,
        0,
        8,
        OPEN_TIMEOUT.toNanos(),
        READ_TIMEOUT.toNanos(),
        () -> 0);
  }

  /**
   * One decoder thread up to 1080p: decoding on the calling thread keeps a camera to one core (the
   * detector needs the others; FFmpeg's frame threads take 10-15 % more CPU per frame and hold each
   * picture back by one frame per extra thread). Larger pictures get up to half the cores, at most
   * 4, to keep up with their frame rate.
   */
  public static int autoDecoderThreads(int width, int height) {
    if ((long) width * height <= 1920L * 1088) {
      return 1;
    }
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
  }

  public SourceOptions withLoop(boolean value) {
    return with(c -> c.loop = value);
  }

  public SourceOptions withUnpaced(boolean value) {
    return with(c -> c.unpaced = value);
  }

  /** A new session of the same camera: its own run id, sequences continuing at {@code seq}. */
  public SourceOptions withSession(String newRunId, long seq) {
    return with(
        c -> {
          c.runId = newRunId;
          c.firstSeq = seq;
        });
  }

  public SourceOptions withDecoderThreads(int threads) {
    return with(c -> c.decoderThreads = threads);
  }

  public SourceOptions withTimeouts(Duration open, Duration read) {
    return with(
        c -> {
          c.openTimeoutNanos = open.toNanos();
          c.readTimeoutNanos = read.toNanos();
        });
  }

  public SourceOptions withPoolSize(int size) {
    return with(c -> c.poolSize = size);
  }

  /** Hands on only the frames the detector will take; see {@code detectorFreeAt}. */
  public SourceOptions withDetectorFreeAt(LongSupplier value) {
    return with(c -> c.detectorFreeAt = value);
  }

  /** A copy of these options with {@code change} applied: the one place the copy is spelled out. */
  private SourceOptions with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return new SourceOptions(
        c.source,
        c.camera,
        c.runId,
        c.firstSeq,
        c.geometry,
        c.loop,
        c.unpaced,
        c.decoderThreads,
        c.poolSize,
        c.openTimeoutNanos,
        c.readTimeoutNanos,
        c.detectorFreeAt);
  }

  /** The fields of a SourceOptions being copied, open to change. */
  private static final class Copy {
    final SourceSpec source;
    final String camera;
    String runId;
    long firstSeq;
    final InputGeometry geometry;
    boolean loop;
    boolean unpaced;
    int decoderThreads;
    int poolSize;
    long openTimeoutNanos;
    long readTimeoutNanos;
    LongSupplier detectorFreeAt;

    Copy(SourceOptions o) {
      source = o.source;
      camera = o.camera;
      runId = o.runId;
      firstSeq = o.firstSeq;
      geometry = o.geometry;
      loop = o.loop;
      unpaced = o.unpaced;
      decoderThreads = o.decoderThreads;
      poolSize = o.poolSize;
      openTimeoutNanos = o.openTimeoutNanos;
      readTimeoutNanos = o.readTimeoutNanos;
      detectorFreeAt = o.detectorFreeAt;
    }
  }
}
