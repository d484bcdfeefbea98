package io.stopsign.clips;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.stopsign.media.FfmpegErrors;
import io.stopsign.media.FfmpegLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Joins a run of recorded segments into one MP4 without re-encoding (the packets are copied, the
 * timeline starts at 0, the index goes first so a player can start before the end has arrived).
 * Each segment starts at a keyframe, so the clip does too. Blocking: call it from a worker.
 */
final class ClipCutter {
  static {
    FfmpegLog.init();
  }

  private static final AVRational TIME_BASE = new AVRational().num(1).den(90_000);

  /** Writes the clip of {@code run} to {@code target} (atomically) and returns its facts. */
  static ClipInfo cut(List<RecordedSegment> run, Path target) throws IOException {
    if (run.isEmpty()) {
      throw new IOException("no recorded video for this clip");
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      long[] span = new long[3];
      int[] size = new int[2];
      List<double[]> anchors = new ArrayList<>();
      remux(run, tmp, span, size, anchors);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      RecordedSegment first = run.get(0);
      return new ClipInfo(
          anchors,
          Math.round((span[1] - span[0]) / 90.0) / 1000.0,
          size[0],
          size[1],
          first.sourceWidth(),
          first.sourceHeight(),
          Files.size(target));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * span: first dts, end (pts + duration), packets, in 90 kHz; size: the video's width, height;
   * anchors: each segment's video time and capture time.
   */
  private static void remux(
      List<RecordedSegment> run, Path out, long[] span, int[] size, List<double[]> anchors)
      throws IOException {
    AVFormatContext mp4 = new AVFormatContext(null);
    check(avformat_alloc_output_context2(mp4, null, "mp4", out.toString()), "mp4 muxer");
    AVPacket packet = av_packet_alloc();
    AVIOContext pb = null;
    AVStream video = null;
    long base = AV_NOPTS_VALUE;
    long lastDts = Long.MIN_VALUE;
    try {
      for (RecordedSegment segment : run) {
        AVFormatContext in = new AVFormatContext(null);
        check(
            avformat_open_input(in, segment.file().toString(), (AVInputFormat) null, null),
            "open " + segment.file().getFileName());
        try {
          check(avformat_find_stream_info(in, (PointerPointer<?>) null), "probe segment");
          int index = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
          if (index < 0) {
            continue; // nothing to show in this one
          }
          AVStream source = in.streams(index);
          if (video == null) {
            video = avformat_new_stream(mp4, null);
            if (video == null || video.isNull()) {
              throw new IOException("mp4 muxer: no stream");
            }
            check(avcodec_parameters_copy(video.codecpar(), source.codecpar()), "mp4 stream");
            video.codecpar().codec_tag(0);
            video.time_base(TIME_BASE);
            size[0] = source.codecpar().width();
            size[1] = source.codecpar().height();
            pb = new AVIOContext(null);
            check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "open clip file");
            mp4.pb(pb);
            AVDictionary options = new AVDictionary(null);
            av_dict_set(options, "movflags", "+faststart", 0);
            try {
              check(avformat_write_header(mp4, options), "mp4 header");
            } finally {
              av_dict_free(options);
            }
          }
          AVRational from = source.time_base();
          AVRational to = video.time_base();
          boolean anchored = false;
          while (av_read_frame(in, packet) >= 0) {
            try {
              long dts = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
              if (packet.stream_index() != index || dts == AV_NOPTS_VALUE) {
                continue;
              }
              if (base == AV_NOPTS_VALUE) {
                base = dts;
                span[0] = 0;
              }
              long outDts = av_rescale_q(dts - base, from, to);
              if (outDts <= lastDts) {
                continue; // the segments' timeline runs on; an overlap would break the index
              }
              long pts = packet.pts() == AV_NOPTS_VALUE ? dts : packet.pts();
              long outPts = Math.max(outDts, av_rescale_q(pts - base, from, to));
              long duration = Math.max(0, av_rescale_q(packet.duration(), from, to));
              packet.dts(outDts);
              packet.pts(outPts);
              packet.duration(duration);
              packet.stream_index(0);
              packet.pos(-1);
              lastDts = outDts;
              if (!anchored) {
                anchored = true;
                double t = av_rescale_q(outPts, to, TIME_BASE) / 90_000.0;
                anchors.add(new double[] {Math.round(t * 1000) / 1000.0, segment.startUtc()});
              }
              span[1] = Math.max(span[1], av_rescale_q(outPts + duration, to, TIME_BASE));
              span[2]++;
              check(av_interleaved_write_frame(mp4, packet), "mp4 write");
            } finally {
              av_packet_unref(packet);
            }
          }
        } finally {
          avformat_close_input(in);
        }
      }
      if (video == null || span[2] == 0) {
        throw new IOException("the recorded segments hold no video");
      }
      check(av_write_trailer(mp4), "mp4 trailer");
    } finally {
      if (pb != null) {
        mp4.pb(null);
        avio_closep(pb);
      }
      avformat_free_context(mp4);
      av_packet_free(packet);
    }
  }

  private static void check(int code, String step) throws IOException {
    if (code < 0) {
      throw new IOException(step + ": " + FfmpegErrors.describe(code));
    }
  }

  private ClipCutter() {}
}
