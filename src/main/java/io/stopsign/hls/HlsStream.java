package io.stopsign.hls;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.stopsign.media.MediaTap;
import io.stopsign.media.SessionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded HLS of one camera under {@code data_dir/hls/<camera>/}: the demuxed H.264 packets are
 * remuxed as they are (no re-encode); a source that is not H.264 or whose keyframes are too far
 * apart for short segments is re-encoded with openh264 from the decoded pictures instead. Runs on
 * the decode thread as a {@link MediaTap}; an HLS failure is logged and never stops decoding.
 */
public final class HlsStream implements MediaTap {
  private static final Logger LOG = LoggerFactory.getLogger(HlsStream.class);
  // short segments keep the player close to live: it can only play what a finished segment holds
  // (0.5 s segments and a 1 s hold-back: ~1.5 s behind real time instead of ~3.5 s with 1 s / 3)
  public static final double SEGMENT_SECONDS = 0.5;
  public static final int WINDOW = 12;
  // remuxed segments can only be cut at the camera's keyframes; beyond this, re-encode instead
  static final double MAX_REMUX_KEYFRAME_INTERVAL = 4.0;
  // re-encoded video is for watching (overlays scale by aspect ratio, snapshots are full size):
  // 960x540 costs openh264 ~7 ms a frame against ~11 ms at 1280x720
  static final double MAX_ENCODED_SIDE = 960;
  // a longer step between two captured frames is a clock jump, not a slow frame
  private static final long MAX_CAPTURE_GAP_90K = 45_000;

  private enum Mode {
    OFF,
    REMUX,
    ENCODE
  }

  private final String camera;
  private final Path dir;
  private final HlsSegmenter segmenter;
  private final AVPacket scratch = av_packet_alloc();
  private final AccessUnits pictures = new AccessUnits();
  private Mode mode = Mode.OFF;
  private String modeLine = "";
  private String encodeReason;
  // why an earlier session of this camera could not be remuxed: later ones re-encode at once
  private String remuxRefused;
  private SessionInfo session;
  private AVRational inTimeBase;
  private long frame90k;
  private long offset90k;
  private boolean offsetSet;
  private H264Encoder encoder;
  private int encodedFromWidth;
  private int encodedFromHeight;
  private double encodeTs0;
  private long encodeBase90k;
  private long lastEncoded90k = Long.MIN_VALUE;

  public HlsStream(String camera, Path dir) {
    this.camera = camera;
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : (Iterable<Path>) old::iterator) {
          String name = p.getFileName().toString();
          if (name.endsWith(".ts") || name.startsWith(HlsPlaylist.NAME)) {
            Files.deleteIfExists(p); // segments of an earlier run would confuse players
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("HLS folder " + dir + ": " + e.getMessage(), e);
    }
    this.segmenter = new HlsSegmenter(dir, SEGMENT_SECONDS, WINDOW);
  }

  /**
   * Tells {@code listener} of each finished segment (replay clips); a failing listener is logged
   * and never stops HLS.
   */
  public HlsStream onSegment(SegmentListener listener) {
    segmenter.onFinished(
        s -> {
          try {
            listener.finished(
                new SegmentListener.Finished(
                    dir.resolve(s.file()),
                    s.programDateTime(),
                    s.duration(),
                    s.discontinuity(),
                    session == null ? 0 : session.width(),
                    session == null ? 0 : session.height()));
          } catch (RuntimeException e) {
            LOG.warn("{} segment listener: {}", camera, e.toString());
          }
        });
    return this;
  }

  /** The live playlist file (exists once the first segment is finished). */
  public Path playlist() {
    return dir.resolve(HlsPlaylist.NAME);
  }

  @Override
  public void onSessionStart(SessionInfo s) {
    session = s;
    inTimeBase = new AVRational().num(s.timeBaseNum()).den(s.timeBaseDen());
    frame90k = Math.max(1, Math.round(90_000 / s.fps()));
    offsetSet = false;
    encodeReason = null;
    if (s.codecParameters().codec_id() != AV_CODEC_ID_H264) {
      encodeReason = "the source is " + s.codecName() + ", not H.264";
    } else if (s.maxKeyframeInterval() > MAX_REMUX_KEYFRAME_INTERVAL) {
      encodeReason =
          String.format(Locale.ROOT, "source keyframes are %.1f s apart", s.maxKeyframeInterval());
    } else if (remuxRefused != null) {
      encodeReason = remuxRefused;
    }
    mode = encodeReason == null ? Mode.REMUX : Mode.ENCODE;
    announce();
    if (mode == Mode.REMUX) {
      guard(() -> segmenter.begin(s.codecParameters()));
    }
  }

  @Override
  public void onPacket(AVPacket packet, double tsUtc) {
    if (mode != Mode.REMUX) {
      return;
    }
    long dts = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
    if (dts == AV_NOPTS_VALUE) {
      return;
    }
    if (!offsetSet) {
      offset90k = next90k() - to90k(dts);
      offsetSet = true;
    }
    if (packet.dts() == AV_NOPTS_VALUE
        && offsetSet
        && to90k(dts) + offset90k + frame90k / 2 < segmenter.endDts()) {
      // pictures out of order (B-frames) without decode timestamps: no muxer can order them
      remuxRefused = "the source's B-frames come without decode timestamps";
      switchToEncoding(remuxRefused, segmenter.endDts());
      return;
    }
    long outDts = remuxDts(dts);
    boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
    if (!key && segmenter.openSeconds(outDts) > MAX_REMUX_KEYFRAME_INTERVAL) {
      remuxRefused = "source keyframes were more than " + MAX_REMUX_KEYFRAME_INTERVAL + " s apart";
      switchToEncoding(
          String.format(
              Locale.ROOT, "no keyframe from the source for %.0f s", MAX_REMUX_KEYFRAME_INTERVAL),
          outDts);
      return;
    }
    guard(
        () -> {
          if (av_packet_ref(scratch, packet) < 0) {
            throw new IOException("cannot reference a packet");
          }
          try {
            scratch.dts(outDts);
            scratch.pts(packet.pts() == AV_NOPTS_VALUE ? outDts : to90k(packet.pts()) + offset90k);
            scratch.duration(packet.duration() > 0 ? to90k(packet.duration()) : frame90k);
            pictures.add(scratch, tsUtc, segmenter::write);
          } finally {
            av_packet_unref(scratch);
          }
        });
  }

  @Override
  public void onFrame(AVFrame frame, long seq, double tsUtc) {
    if (mode != Mode.ENCODE) {
      return;
    }
    guard(
        () -> {
          if (encoder == null
              || encodedFromWidth != frame.width()
              || encodedFromHeight != frame.height()) {
            closeEncoder();
            encodedFromWidth = frame.width();
            encodedFromHeight = frame.height();
            double scale =
                Math.min(1.0, MAX_ENCODED_SIDE / Math.max(frame.width(), frame.height()));
            encoder =
                new H264Encoder(
                    even(frame.width() * scale),
                    even(frame.height() * scale),
                    session.fps(),
                    SEGMENT_SECONDS);
            segmenter.begin(encoder.parameters());
            encodeTs0 = tsUtc;
            encodeBase90k = next90k();
            lastEncoded90k = Long.MIN_VALUE;
          }
          long pts = encodeBase90k + Math.round((tsUtc - encodeTs0) * 90_000);
          if (lastEncoded90k != Long.MIN_VALUE
              && (pts <= lastEncoded90k || pts - lastEncoded90k > MAX_CAPTURE_GAP_90K)) {
            // the capture clock jumped (decode re-anchored after a stall): the media timeline
            // goes on without a hole and a new segment starts with its own date-time
            long next = lastEncoded90k + frame90k;
            segmenter.cut(next);
            encodeTs0 = tsUtc;
            encodeBase90k = next;
            pts = next;
            encoder.forceKeyframe();
          }
          lastEncoded90k = pts;
          encoder.encode(frame, pts, this::writeEncoded);
        });
  }

  private void switchToEncoding(String reason, long cutDts) {
    encodeReason = reason;
    mode = Mode.ENCODE;
    announce();
    guard(
        () -> {
          pictures.flush(segmenter::write);
          segmenter.cut(cutDts);
        });
  }

  /** The packet's dts on the HLS timeline, which never goes back (a muxer refuses that). */
  private long remuxDts(long dts) {
    long out = to90k(dts) + offset90k;
    if (out + frame90k < segmenter.endDts()) {
      // the camera's timestamps went back: the timeline goes on from its end, in a new segment
      offset90k = next90k() - to90k(dts);
      out = next90k();
      long cutAt = out;
      guard(
          () -> {
            pictures.flush(segmenter::write);
            segmenter.cut(cutAt);
          });
    }
    return out;
  }

  private static int even(double size) {
    return Math.max(2, 2 * (int) Math.round(size / 2));
  }

  private void writeEncoded(AVPacket p) throws IOException {
    p.duration(frame90k);
    segmenter.write(p, encodeTs0 + (p.pts() - encodeBase90k) / 90_000.0);
  }

  @Override
  public void onSessionEnd() {
    guard(
        () -> {
          pictures.flush(segmenter::write);
          closeEncoder();
          segmenter.finish();
        });
    mode = Mode.OFF;
    encodeReason = null;
  }

  private void closeEncoder() throws IOException {
    if (encoder != null) {
      try {
        encoder.flush(this::writeEncoded);
      } finally {
        encoder.close();
        encoder = null;
      }
    }
  }

  private long next90k() {
    long end = segmenter.endDts();
    return end < 0 ? 0 : end;
  }

  private long to90k(long ts) {
    return av_rescale_q(ts, inTimeBase, TsMuxer.TIME_BASE);
  }

  private void announce() {
    String line =
        mode == Mode.REMUX
            ? "remuxes the camera's H.264"
            : "re-encodes with openh264 (" + encodeReason + ")";
    if (!line.equals(modeLine)) {
      modeLine = line;
      LOG.info("{} HLS {} into {} s segments under {}", camera, line, SEGMENT_SECONDS, dir);
    }
  }

  /** Runs an HLS step; a failure turns HLS off for the rest of the session, decoding goes on. */
  private void guard(HlsStep step) {
    try {
      step.run();
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} HLS off until the next session: {}", camera, e.getMessage());
      pictures.discard();
      mode = Mode.OFF;
      modeLine = "";
    }
  }

  @Override
  public void close() {
    onSessionEnd();
    try {
      segmenter.close();
    } catch (IOException e) {
      LOG.warn("{} HLS close: {}", camera, e.getMessage());
    }
    pictures.close();
    av_packet_free(scratch);
  }

  private interface HlsStep {
    void run() throws IOException;
  }
}
