package io.stopsign.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.stopsign.media.FfmpegErrors;
import io.stopsign.media.SourceException;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded pictures, whatever their pixel format, to packed RGB24 of one output size with
 * swscale: the single scaling step between the camera and the detector. Not thread-safe.
 */
final class FrameScaler implements AutoCloseable {
  private final int outWidth;
  private final int outHeight;
  private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
  private final IntPointer dstLinesize = new IntPointer(4);
  private SwsContext sws;

  FrameScaler(int outWidth, int outHeight) {
    this.outWidth = outWidth;
    this.outHeight = outHeight;
    dstLinesize.put(0, outWidth * 3);
  }

  int outWidth() {
    return outWidth;
  }

  int outHeight() {
    return outHeight;
  }

  /** Bytes of one output picture. */
  int outBytes() {
    return outWidth * outHeight * 3;
  }

  /** Scales {@code src} into {@code dst} (a direct buffer of at least {@link #outBytes()}). */
  void scale(AVFrame src, ByteBuffer dst) throws SourceException {
    sws =
        sws_getCachedContext(
            sws,
            src.width(),
            src.height(),
            src.format(),
            outWidth,
            outHeight,
            AV_PIX_FMT_RGB24,
            SWS_BILINEAR,
            null,
            null,
            (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      throw new SourceException(
          "cannot convert pixel format "
              + src.format()
              + " at "
              + src.width()
              + "x"
              + src.height());
    }
    try (BytePointer out = new BytePointer(dst)) {
      dstData.put(0, out);
      int rows = sws_scale(sws, src.data(), src.linesize(), 0, src.height(), dstData, dstLinesize);
      if (rows != outHeight) {
        throw new SourceException("scaling failed: " + FfmpegErrors.describe(Math.min(rows, -1)));
      }
    }
  }

  @Override
  public void close() {
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    dstData.close();
    dstLinesize.close();
  }
}
