package io.stopsign.decode;

import static org.bytedeco.ffmpeg.avformat.AVIndexEntry.AVINDEX_KEYFRAME;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_frame_rate;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import io.stopsign.media.FfmpegErrors;
import io.stopsign.media.FfmpegLog;
import io.stopsign.media.SessionInfo;
import io.stopsign.media.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.javacpp.PointerPointer;

/** The opened demuxer and video decoder of one session; the native half of {@link FrameSource}. */
final class SourceInput implements AutoCloseable {
  private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

  static {
    FfmpegLog.init();
    avdevice.avdevice_register_all(); // lavfi, for the test pattern
  }

  private final SourceSpec spec;
  private final IoWatch watch;
  private final long openTimeoutNanos;
  private AVFormatContext format;
  private AVCodecContext decoder;
  private AVStream stream;
  private int videoIndex = -1;
  private double fps;
  private long frameDuration;
  private double openedAt;

  private SourceInput(SourceSpec spec, IoWatch watch, long openTimeoutNanos) {
    this.spec = spec;
    this.watch = watch;
    this.openTimeoutNanos = openTimeoutNanos;
  }

  static SourceInput open(SourceSpec spec, int threads, long openTimeoutNanos, IoWatch watch)
      throws SourceException {
    SourceInput in = new SourceInput(spec, watch, openTimeoutNanos);
    try {
      in.openFormat();
      in.openDecoder(threads);
      return in;
    } catch (SourceException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private void openFormat() throws SourceException {
    if (spec.kind() == SourceSpec.Kind.FILE) {
      Path path = Path.of(spec.url());
      if (!Files.exists(path)) {
        throw new SourceException("file not found: " + spec.display());
      }
      if (!(Files.isRegularFile(path) || namedPipe(path)) || !Files.isReadable(path)) {
        throw new SourceException("not a readable file: " + spec.display());
      }
    }
    AVInputFormat forced = null;
    if (spec.inputFormat() != null) {
      forced = av_find_input_format(spec.inputFormat());
      if (forced == null || forced.isNull()) {
        throw new SourceException("this FFmpeg has no " + spec.inputFormat() + " input");
      }
    }
    format = avformat_alloc_context();
    watch.attach(format);
    AVDictionary options = new AVDictionary(null);
    spec.options().forEach((k, v) -> av_dict_set(options, k, v, 0));
    int r;
    watch.enter(openTimeoutNanos);
    long started = System.nanoTime();
    try {
      r = avformat_open_input(format, spec.url(), forced, options);
    } finally {
      watch.exit();
      av_dict_free(options);
    }
    if (r < 0) {
      format = null; // FFmpeg freed it
      throw new SourceException(failure(r, "no answer within ", started), r);
    }
    // a live stream's first packet arrives right after PLAY, i.e. now; stream probing below buffers
    // packets, so the first av_read_frame would be late by up to the analysis time
    openedAt = System.currentTimeMillis() / 1000.0;
    watch.enter(openTimeoutNanos);
    long openedNanos = System.nanoTime();
    try {
      r = avformat_find_stream_info(format, (PointerPointer<?>) null);
    } finally {
      watch.exit();
    }
    if (r < 0) {
      throw new SourceException(failure(r, "no stream information within ", openedNanos), r);
    }
    videoIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
    if (videoIndex < 0) {
      throw new SourceException("no video stream in " + spec.display());
    }
    for (int i = 0; i < format.nb_streams(); i++) {
      if (i != videoIndex) {
        format.streams(i).discard(org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL);
      }
    }
    stream = format.streams(videoIndex);
  }

  /** A FIFO fed by another process; its open and reads block in the kernel, not in FFmpeg. */
  private static boolean namedPipe(Path path) {
    try {
      return ((Integer) Files.getAttribute(path, "unix:mode") & 0170000) == 0010000;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private void openDecoder(int threads) throws SourceException {
    AVCodecParameters par = stream.codecpar();
    AVCodec codec = avcodec_find_decoder(par.codec_id());
    if (codec == null || codec.isNull()) {
      throw new SourceException("no decoder for " + avcodec_get_name(par.codec_id()).getString());
    }
    if (par.width() <= 0 || par.height() <= 0) {
      throw new SourceException("no picture size in " + spec.display());
    }
    decoder = avcodec_alloc_context3(codec);
    FfmpegErrors.check(avcodec_parameters_to_context(decoder, par), "decoder");
    decoder.pkt_timebase(stream.time_base());
    decoder.thread_count(
        threads > 0 ? threads : SourceOptions.autoDecoderThreads(par.width(), par.height()));
    FfmpegErrors.check(avcodec_open2(decoder, codec, (AVDictionary) null), "decoder");
    AVRational rate = av_guess_frame_rate(format, stream, null);
    double guessed = rate.num() > 0 && rate.den() > 0 ? (double) rate.num() / rate.den() : 0;
    fps = guessed >= 1 && guessed <= 240 ? guessed : 30;
    AVRational tb = stream.time_base();
    frameDuration = Math.max(1, Math.round(tb.den() / (fps * tb.num())));
  }

  private String failure(int code, String timeoutPrefix, long startedNanos) {
    if (watch.aborted()) {
      return "stopped";
    }
    if (watch.timedOut()) {
      return timeoutPrefix + TimeUnit.NANOSECONDS.toSeconds(openTimeoutNanos) + " s";
    }
    long socketTimeoutNanos = TimeUnit.MICROSECONDS.toNanos(SourceSpec.IO_TIMEOUT_MICROS);
    if ((spec.kind() == SourceSpec.Kind.RTSP || spec.kind() == SourceSpec.Kind.NETWORK)
        && System.nanoTime() - startedNanos >= socketTimeoutNanos * 9 / 10) {
      // FFmpeg's own socket timeout fired first; RTSP reports it as "invalid data", which hides
      // that a camera accepted the connection and then said nothing
      return timeoutPrefix
          + TimeUnit.NANOSECONDS.toSeconds(socketTimeoutNanos)
          + " s ("
          + FfmpegErrors.describe(code)
          + ")";
    }
    return FfmpegErrors.describe(code);
  }

  /** The reason behind a failed packet read. */
  String readFailure(int code) {
    if (watch.aborted()) {
      return "stopped";
    }
    if (watch.timedOut()) {
      return "no data within the read timeout";
    }
    return "read: " + FfmpegErrors.describe(code);
  }

  /**
   * Longest keyframe spacing in the file's index, in seconds; NaN unless the index lists every
   * frame (MP4 does; MPEG-TS only indexes what was read so far).
   */
  double maxKeyframeInterval() {
    int n = avformat_index_get_entries_count(stream);
    double tb = timeBaseNum() / (double) timeBaseDen();
    if (stream.duration() == AV_NOPTS_VALUE || n < 0.9 * stream.duration() * tb * fps) {
      return Double.NaN;
    }
    long previous = AV_NOPTS_VALUE;
    double max = Double.NaN;
    for (int i = 0; i < n; i++) {
      AVIndexEntry e = avformat_index_get_entry(stream, i);
      if (e != null && (e.flags() & AVINDEX_KEYFRAME) != 0) {
        if (previous != AV_NOPTS_VALUE) {
          max =
              Double.isNaN(max)
                  ? (e.timestamp() - previous) * tb
                  : Math.max(max, (e.timestamp() - previous) * tb);
        }
        previous = e.timestamp();
      }
    }
    if (previous != AV_NOPTS_VALUE && stream.duration() != AV_NOPTS_VALUE) {
      long start = stream.start_time() == AV_NOPTS_VALUE ? 0 : stream.start_time();
      double tail = (start + stream.duration() - previous) * tb;
      max = Double.isNaN(max) ? tail : Math.max(max, tail);
    }
    return max;
  }

  SessionInfo session(String camera, String runId) {
    boolean live = live();
    return new SessionInfo(
        camera,
        runId,
        stream.codecpar(),
        timeBaseNum(),
        timeBaseDen(),
        fps,
        width(),
        height(),
        codecName(),
        live ? Double.NaN : maxKeyframeInterval(),
        live);
  }

  /** Wall-clock time (epoch s) when the source answered, about when its first packet arrived. */
  double openedAt() {
    return openedAt;
  }

  /** True for network streams that arrive in real time on their own (not paced by us). */
  boolean live() {
    return !spec.local() && !spec.paced();
  }

  /** The sender's NTP start time (RTSP with RTCP sender reports), or AV_NOPTS_VALUE. */
  long startTimeRealtime() {
    if (spec.kind() != SourceSpec.Kind.RTSP) {
      return AV_NOPTS_VALUE;
    }
    return format.start_time_realtime();
  }

  AVFormatContext format() {
    return format;
  }

  /** The decoder's thread count (1: it decodes on the calling thread). */
  int decoderThreads() {
    return decoder.thread_count();
  }

  AVCodecContext decoder() {
    return decoder;
  }

  int videoIndex() {
    return videoIndex;
  }

  int width() {
    return stream.codecpar().width();
  }

  int height() {
    return stream.codecpar().height();
  }

  int timeBaseNum() {
    return stream.time_base().num();
  }

  int timeBaseDen() {
    return stream.time_base().den();
  }

  double fps() {
    return fps;
  }

  /** One frame's duration in time-base units. */
  long frameDuration() {
    return frameDuration;
  }

  String codecName() {
    return avcodec_get_name(stream.codecpar().codec_id()).getString();
  }

  @Override
  public void close() {
    if (decoder != null) {
      avcodec_free_context(decoder);
      decoder = null;
    }
    if (format != null && !format.isNull()) {
      watch.enter(CLOSE_TIMEOUT_NANOS); // RTSP sends TEARDOWN on close
      try {
        avformat_close_input(format);
      } finally {
        watch.exit();
      }
    }
    format = null;
  }
}
