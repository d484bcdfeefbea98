package io.stopsign.hls;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import io.stopsign.media.FfmpegErrors;
import io.stopsign.media.FfmpegLog;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * One MPEG-TS muxer of one H.264 stream whose output moves from file to file at segment boundaries,
 * the way FFmpeg's own HLS muxer does it: continuity counters run on, PAT/PMT are re-sent at the
 * start of each file, and SPS/PPS come with every keyframe, so each segment decodes on its own.
 */
final class TsMuxer implements AutoCloseable {
  static {
    FfmpegLog.init();
  }

  static final AVRational TIME_BASE = new AVRational().num(1).den(90_000);

  private final AVFormatContext ctx = new AVFormatContext(null);
  private final AVStream stream;
  private AVIOContext pb;
  private boolean headerWritten;

  TsMuxer(AVCodecParameters parameters) throws IOException {
    check(avformat_alloc_output_context2(ctx, null, "mpegts", null), "mpegts muxer");
    stream = avformat_new_stream(ctx, null);
    if (stream == null || stream.isNull()) {
      avformat_free_context(ctx);
      throw new IOException("mpegts muxer: no stream");
    }
    check(avcodec_parameters_copy(stream.codecpar(), parameters), "mpegts stream");
    stream.codecpar().codec_tag(0);
    stream.time_base(TIME_BASE);
  }

  /** Ends the current file (if any) and sends the following packets to {@code file}. */
  void startFile(Path file) throws IOException {
    finishFile();
    AVIOContext out = new AVIOContext(null);
    check(avio_open(out, file.toString(), AVIO_FLAG_WRITE), "open " + file.getFileName());
    pb = out;
    ctx.pb(pb);
    if (!headerWritten) {
      check(avformat_write_header(ctx, (AVDictionary) null), "mpegts header");
      headerWritten = true;
    } else {
      av_opt_set(ctx.priv_data(), "mpegts_flags", "+resend_headers", 0);
    }
  }

  /** Writes one packet whose timestamps are in {@link #TIME_BASE}; the caller keeps the packet. */
  void write(AVPacket packet) throws IOException {
    if (pb == null) {
      throw new IOException("no segment file open");
    }
    packet.stream_index(0);
    check(av_write_frame(ctx, packet), "mpegts write");
  }

  /** Flushes and closes the current file; the muxer stays ready for the next one. */
  void finishFile() {
    if (pb != null) {
      av_write_frame(ctx, null); // writes out what the muxer still holds, into this file
      closeFile();
    }
  }

  private void closeFile() {
    if (pb != null) {
      avio_flush(pb);
      ctx.pb(null);
      avio_closep(pb);
      pb = null;
    }
  }

  @Override
  public void close() {
    if (pb != null && headerWritten) {
      av_write_trailer(ctx); // flushes too; no packet may follow it
    }
    closeFile();
    avformat_free_context(ctx);
  }

  private static int check(int code, String step) throws IOException {
    if (code < 0) {
      throw new IOException(step + ": " + FfmpegErrors.describe(code));
    }
    return code;
  }
}
