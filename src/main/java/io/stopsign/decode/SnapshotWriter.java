package io.stopsign.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Encodes a kept full-resolution picture as JPEG, to a file or bytes (blocking: call it from a
 * worker).
 */
public final class SnapshotWriter {
  private static final float QUALITY = 0.9f;

  /** Encodes {@code picture} to {@code target}, atomically (temp file + rename). */
  public static void writeJpeg(RawPicture picture, Path target) throws IOException {
    byte[] jpeg = encodeJpeg(picture);
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".snapshot-", ".tmp");
    try {
      Files.write(tmp, jpeg);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The picture as JPEG bytes, full resolution. */
  public static byte[] encodeJpeg(RawPicture picture) throws IOException {
    BufferedImage image = toImage(picture);
    ByteArrayOutputStream out = new ByteArrayOutputStream(picture.width() * picture.height() / 4);
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      try {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(QUALITY);
        writer.setOutput(ios);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
    }
    return out.toByteArray();
  }

  /** Converts the picture to a BGR image of the same size with swscale. */
  static BufferedImage toImage(RawPicture p) throws IOException {
    int w = p.width();
    int h = p.height();
    SwsContext sws =
        sws_getContext(
            w,
            h,
            p.pixelFormat(),
            w,
            h,
            AV_PIX_FMT_BGR24,
            SWS_BILINEAR,
            null,
            null,
            (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      throw new IOException("cannot convert pixel format " + p.pixelFormat() + " to BGR");
    }
    ByteBuffer bgr = ByteBuffer.allocateDirect(w * h * 3);
    try (PointerPointer<BytePointer> srcData = new PointerPointer<>(4);
        IntPointer srcLines = new IntPointer(4);
        PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
        IntPointer dstLines = new IntPointer(4);
        BytePointer src = new BytePointer(p.data());
        BytePointer dst = new BytePointer(bgr)) {
      if (av_image_fill_arrays(srcData, srcLines, src, p.pixelFormat(), w, h, 1) < 0) {
        throw new IOException("picture buffer does not match its format");
      }
      dstData.put(0, dst);
      dstLines.put(0, w * 3);
      int rows = sws_scale(sws, srcData, srcLines, 0, h, dstData, dstLines);
      if (rows != h) {
        throw new IOException("conversion to BGR failed");
      }
    } finally {
      sws_freeContext(sws);
    }
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    bgr.get(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
    return image;
  }

  private SnapshotWriter() {}
}
