package io.stopsign.media;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;

/** FFmpeg error codes as short human reasons ("connection refused"), for logs and health data. */
public final class FfmpegErrors {

  /** The reason behind a negative FFmpeg return code. */
  public static String describe(int code) {
    if (code == AVERROR_EOF) {
      return "end of stream";
    }
    if (code == AVERROR_EXIT) {
      return "interrupted";
    }
    try (BytePointer buf = new BytePointer(256)) {
      if (av_strerror(code, buf, 256) < 0) {
        return "ffmpeg error " + code;
      }
      byte[] bytes = new byte[256];
      buf.get(bytes);
      int n = 0;
      while (n < bytes.length && bytes[n] != 0) {
        n++;
      }
      String text = new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? "ffmpeg error " + code : lowerFirst(text);
    }
  }

  /**
   * Throws a SourceException naming the step when {@code code} is an error; returns it otherwise.
   */
  public static int check(int code, String step) throws SourceException {
    if (code < 0) {
      throw new SourceException(step + ": " + describe(code), code);
    }
    return code;
  }

  private static String lowerFirst(String s) {
    if (s.length() > 1
        && Character.isUpperCase(s.charAt(0))
        && Character.isLowerCase(s.charAt(1))) {
      return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
    return s;
  }

  private FfmpegErrors() {}
}
