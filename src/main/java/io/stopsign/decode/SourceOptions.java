package io.stopsign.decode;

import io.stopsign.inference.InputGeometry;
import java.time.Duration;

/**
 * How to open one decode session.
 *
 * @param firstSeq sequence number of the session's first frame (sequences continue across
 *     reconnects)
 * @param loop start a file over at its end instead of ending
 * @param unpaced decode as fast as possible even where the source would be paced (benchmarks)
 * @param decoderThreads FFmpeg decoder threads (0 = FFmpeg's choice)
 * @param poolSize detector-sized buffers kept for reuse (frame queue capacity + frames in flight)
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
    long readTimeoutNanos) {

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
        Math.min(4, Runtime.getRuntime().availableProcessors()),
        8,
        OPEN_TIMEOUT.toNanos(),
        READ_TIMEOUT.toNanos());
  }

  public SourceOptions withLoop(boolean value) {
    return new SourceOptions(
        source,
        camera,
        runId,
        firstSeq,
        geometry,
        value,
        unpaced,
        decoderThreads,
        poolSize,
        openTimeoutNanos,
        readTimeoutNanos);
  }

  public SourceOptions withUnpaced(boolean value) {
    return new SourceOptions(
        source,
        camera,
        runId,
        firstSeq,
        geometry,
        loop,
        value,
        decoderThreads,
        poolSize,
        openTimeoutNanos,
        readTimeoutNanos);
  }

  /** A new session of the same camera: its own run id, sequences continuing at {@code seq}. */
  public SourceOptions withSession(String newRunId, long seq) {
    return new SourceOptions(
        source,
        camera,
        newRunId,
        seq,
        geometry,
        loop,
        unpaced,
        decoderThreads,
        poolSize,
        openTimeoutNanos,
        readTimeoutNanos);
  }

  public SourceOptions withDecoderThreads(int threads) {
    return new SourceOptions(
        source,
        camera,
        runId,
        firstSeq,
        geometry,
        loop,
        unpaced,
        threads,
        poolSize,
        openTimeoutNanos,
        readTimeoutNanos);
  }

  public SourceOptions withTimeouts(Duration open, Duration read) {
    return new SourceOptions(
        source,
        camera,
        runId,
        firstSeq,
        geometry,
        loop,
        unpaced,
        decoderThreads,
        poolSize,
        open.toNanos(),
        read.toNanos());
  }

  public SourceOptions withPoolSize(int size) {
    return new SourceOptions(
        source,
        camera,
        runId,
        firstSeq,
        geometry,
        loop,
        unpaced,
        decoderThreads,
        size,
        openTimeoutNanos,
        readTimeoutNanos);
  }
}
