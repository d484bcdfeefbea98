package io.stopsign.hls;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Cuts an H.264 packet stream (timestamps in 90 kHz, continuous) into MPEG-TS segments of about the
 * target duration, each starting at a keyframe, and lists them in the playlist as they finish.
 */
final class HlsSegmenter implements AutoCloseable {
  private final Path dir;
  private final double targetSeconds;
  private final HlsPlaylist playlist;
  private TsMuxer muxer;
  private long nextSequence;
  private boolean anySegment;
  private boolean pendingDiscontinuity;
  // the segment being written
  private String file;
  private long sequence;
  private long startDts;
  private double startTsUtc;
  private boolean discontinuity;
  private boolean open;
  // end of the last written packet, where the next one follows
  private long endDts = -1;
  // told of each finished segment (replay clips); may be null
  private java.util.function.Consumer<HlsPlaylist.Segment> onFinished;

  HlsSegmenter(Path dir, double targetSeconds, int window) {
    this.dir = dir;
    this.targetSeconds = targetSeconds;
    // a segment stays on disk as long as a client may still hold a playlist that lists it
    this.playlist = new HlsPlaylist(dir, window, window, (int) Math.ceil(targetSeconds));
  }

  /**
   * New stream parameters (a new session, or a switch to re-encoding): the next segment starts
   * fresh.
   */
  void begin(AVCodecParameters parameters) throws IOException {
    finish();
    if (muxer != null) {
      muxer.close();
      muxer = null;
    }
    muxer = new TsMuxer(parameters);
    pendingDiscontinuity = anySegment;
  }

  /** Writes a packet; a keyframe past the target duration starts a new segment. */
  void write(AVPacket packet, double tsUtc) throws IOException {
    if (muxer == null) {
      throw new IOException("segmenter not started");
    }
    boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
    long dts = packet.dts();
    if (!open) {
      if (!key) {
        return; // a segment must start with a keyframe
      }
      startSegment(dts, tsUtc);
    } else if (key && (dts - startDts) / 90_000.0 >= targetSeconds) {
      endSegment(dts);
      startSegment(dts, tsUtc);
    }
    long duration = packet.duration() > 0 ? packet.duration() : 0;
    muxer.write(packet);
    endDts = Math.max(endDts, dts + duration);
  }

  /** Ends the open segment at {@code dts} (a forced cut, e.g. before a switch to re-encoding). */
  void cut(long dts) throws IOException {
    if (open) {
      endSegment(dts);
    }
  }

  /** Ends and lists the open segment, if any. */
  void finish() throws IOException {
    if (open) {
      endSegment(Math.max(endDts, startDts + 1));
    }
  }

  /** Seconds written into the open segment up to {@code dts}; 0 when none is open. */
  double openSeconds(long dts) {
    return open ? (dts - startDts) / 90_000.0 : 0;
  }

  /** Where the next packet's dts should continue the timeline; -1 before any packet. */
  long endDts() {
    return endDts;
  }

  /** Calls {@code listener} with each finished segment before it is listed. */
  void onFinished(java.util.function.Consumer<HlsPlaylist.Segment> listener) {
    onFinished = listener;
  }

  HlsPlaylist playlist() {
    return playlist;
  }

  private void startSegment(long dts, double tsUtc) throws IOException {
    sequence = nextSequence++;
    file = String.format("seg-%06d.ts", sequence);
    startDts = dts;
    startTsUtc = tsUtc;
    discontinuity = pendingDiscontinuity;
    pendingDiscontinuity = false;
    muxer.startFile(dir.resolve(file));
    open = true;
  }

  private void endSegment(long endDtsExclusive) throws IOException {
    open = false;
    muxer.finishFile();
    double duration = Math.max(0.001, (endDtsExclusive - startDts) / 90_000.0);
    anySegment = true;
    HlsPlaylist.Segment done =
        new HlsPlaylist.Segment(sequence, file, duration, startTsUtc, discontinuity);
    if (onFinished != null) {
      onFinished.accept(done);
    }
    playlist.add(done);
  }

  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      if (muxer != null) {
        muxer.close();
        muxer = null;
      }
    }
  }
}
