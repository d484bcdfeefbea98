package io.stopsign.clips;

import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;

import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.PointerPointer;

/** What FFmpeg reads in an MP4 clip: container, codec, size, duration, and every frame decoded. */
public record Mp4Probe(
    String format, String codec, int width, int height, double seconds, int frames, int errors) {

  public static Mp4Probe of(Path file) throws Exception {
    AVFormatContext ctx = new AVFormatContext(null);
    if (avformat_open_input(ctx, file.toString(), (AVInputFormat) null, (AVDictionary) null) < 0) {
      throw new IOException("FFmpeg cannot open " + file);
    }
    String format;
    String codec;
    int width;
    int height;
    double seconds;
    try {
      if (avformat_find_stream_info(ctx, (PointerPointer<?>) null) < 0) {
        throw new IOException("FFmpeg cannot read the streams of " + file);
      }
      int index = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (index < 0) {
        throw new IOException("no video stream in " + file);
      }
      format = ctx.iformat().name().getString();
      var par = ctx.streams(index).codecpar();
      codec = avcodec.avcodec_get_name(par.codec_id()).getString();
      width = par.width();
      height = par.height();
      seconds = ctx.duration() / (double) AV_TIME_BASE;
    } finally {
      avformat_close_input(ctx);
    }
    int frames = 0;
    int errors;
    try (FrameSource s =
        FrameSource.open(
            SourceOptions.of(SourceSpec.file(file), "probe", new InputGeometry(96, 96, true))
                .withUnpaced(true),
            null)) {
      Frame f;
      while ((f = s.next()) != null) {
        frames++;
        f.release();
      }
      errors = (int) s.decodeErrors();
    }
    return new Mp4Probe(format, codec, width, height, seconds, frames, errors);
  }
}
