package io.stopsign.hls;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.stopsign.media.FfmpegErrors;
import io.stopsign.media.FfmpegLog;
import java.io.IOException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * H.264 for embedded HLS when the camera's own packets cannot be remuxed (another codec, a test
 * pattern, keyframes too far apart): FFmpeg's bundled openh264 (this FFmpeg has no libx264), a
 * keyframe forced every {@code gopSeconds} of presentation time, no B-frames, timestamps in 90 kHz.
 */
final class H264Encoder implements AutoCloseable {
  static {
    FfmpegLog.init();
  }

  /** Receives each encoded packet; the packet is valid only during the call. */
  interface PacketSink {
    void accept(AVPacket packet) throws IOException;
  }

  private AVCodecContext ctx;
  private final AVCodecParameters parameters = avcodec_parameters_alloc();
  private final AVFrame input = av_frame_alloc();
  private final AVFrame converted = av_frame_alloc();
  private final AVPacket packet = av_packet_alloc();
  private final int width;
  private final int height;
  private final long keyframeStep90k;
  private long nextKeyframe90k = Long.MIN_VALUE;
  private SwsContext sws;

  H264Encoder(int width, int height, double fps, double gopSeconds) throws IOException {
    this.width = width;
    this.height = height;
    this.keyframeStep90k = Math.max(1, Math.round(gopSeconds * 90_000));
    AVCodec codec = avcodec_find_encoder_by_name("libopenh264");
    if (codec == null || codec.isNull()) {
      free();
      throw new IOException("this FFmpeg has no openh264 encoder");
    }
    ctx = avcodec_alloc_context3(codec);
    ctx.width(width);
    ctx.height(height);
    ctx.pix_fmt(AV_PIX_FMT_YUV420P);
    ctx.time_base(TsMuxer.TIME_BASE);
    int fpsMilli = (int) Math.round(fps * 1000);
    ctx.framerate(new AVRational().num(fpsMilli).den(1000));
    ctx.gop_size(Math.max(1, (int) Math.round(fps * gopSeconds)));
    ctx.max_b_frames(0);
    // about 0.1 bit per pixel: sharp enough to judge a stop, light on the disk
    ctx.bit_rate(Math.max(300_000L, Math.round(width * height * fps * 0.1)));
    int r = avcodec_open2(ctx, codec, (AVDictionary) null);
    if (r < 0) {
      free();
      throw new IOException("openh264 encoder: " + FfmpegErrors.describe(r));
    }
    avcodec_parameters_from_context(parameters, ctx);
    converted.format(AV_PIX_FMT_YUV420P).width(width).height(height);
    if (av_frame_get_buffer(converted, 0) < 0) {
      free();
      throw new IOException("openh264 encoder: no memory for a picture");
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** The encoded stream's parameters, for the muxer. */
  AVCodecParameters parameters() {
    return parameters;
  }

  /** Encodes one decoded picture presented at {@code pts90k}; packets go to {@code sink}. */
  void encode(AVFrame frame, long pts90k, PacketSink sink) throws IOException {
    AVFrame in;
    if (frame.format() == AV_PIX_FMT_YUV420P
        && frame.width() == width
        && frame.height() == height) {
      if (av_frame_ref(input, frame) < 0) {
        throw new IOException("openh264 encoder: cannot reference the picture");
      }
      in = input;
    } else {
      convert(frame);
      in = converted;
    }
    in.pts(pts90k);
    // keyframes on a fixed grid: openh264's scene-cut IDRs restart its own GOP count, which
    // would otherwise stretch segments; the decoder's I-frames must not force ours either
    in.pict_type(isKeyframeDue(pts90k) ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
    try {
      check(avcodec_send_frame(ctx, in));
    } finally {
      if (in == input) {
        av_frame_unref(input);
      }
    }
    drain(sink);
  }

  /** Makes the next picture a keyframe and restarts the keyframe grid there. */
  void forceKeyframe() {
    nextKeyframe90k = Long.MIN_VALUE;
  }

  private boolean isKeyframeDue(long pts90k) {
    if (nextKeyframe90k != Long.MIN_VALUE && pts90k < nextKeyframe90k) {
      return false;
    }
    nextKeyframe90k =
        nextKeyframe90k == Long.MIN_VALUE || pts90k >= nextKeyframe90k + keyframeStep90k
            ? pts90k + keyframeStep90k
            : nextKeyframe90k + keyframeStep90k;
    return true;
  }

  /** Emits what the encoder still holds (end of a session). */
  void flush(PacketSink sink) throws IOException {
    avcodec_send_frame(ctx, null);
    drain(sink);
  }

  private void drain(PacketSink sink) throws IOException {
    while (true) {
      int r = avcodec_receive_packet(ctx, packet);
      if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) {
        return;
      }
      check(r);
      try {
        if (packet.dts() == org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE) {
          packet.dts(packet.pts());
        }
        sink.accept(packet);
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  private void convert(AVFrame frame) throws IOException {
    sws =
        sws_getCachedContext(
            sws,
            frame.width(),
            frame.height(),
            frame.format(),
            width,
            height,
            AV_PIX_FMT_YUV420P,
            SWS_BILINEAR,
            null,
            null,
            (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      throw new IOException("openh264 encoder: cannot convert pixel format " + frame.format());
    }
    org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable(converted);
    sws_scale(
        sws,
        frame.data(),
        frame.linesize(),
        0,
        frame.height(),
        converted.data(),
        converted.linesize());
  }

  private static void check(int r) throws IOException {
    if (r < 0) {
      throw new IOException("openh264 encoder: " + FfmpegErrors.describe(r));
    }
  }

  private void free() {
    if (ctx != null) {
      avcodec_free_context(ctx);
      ctx = null;
    }
    avcodec_parameters_free(parameters);
    av_frame_free(input);
    av_frame_free(converted);
    av_packet_free(packet);
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
  }

  @Override
  public void close() {
    free();
  }
}
