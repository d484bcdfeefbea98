package io.stopsign.decode;

import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

import io.stopsign.media.MediaTap;
import io.stopsign.media.SessionInfo;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * The last couple of seconds of full-resolution pictures, by frame sequence, kept as compact copies
 * of the decoded planes (YUV 4:2:0 for most cameras: 1.4 MB per 720p frame) for snapshots. The
 * decode thread writes; snapshot workers copy one picture out. Size: about {@code seconds} of
 * video, capped by a memory budget.
 */
public final class FrameRing implements MediaTap {
  private final double seconds;
  private final long budgetBytes;
  private Slot[] slots = new Slot[0];
  private long written;

  /**
   * @param seconds how much video to keep
   * @param budgetBytes the most memory the ring may hold, whatever the resolution
   */
  public FrameRing(double seconds, long budgetBytes) {
    this.seconds = seconds;
    this.budgetBytes = budgetBytes;
  }

  @Override
  public synchronized void onSessionStart(SessionInfo session) {
    int frameBytes = Math.max(1, session.width() * session.height() * 3 / 2);
    int wanted = (int) Math.ceil(seconds * session.fps());
    int affordable = (int) Math.max(2, budgetBytes / frameBytes);
    int capacity = Math.max(2, Math.min(wanted, affordable));
    if (capacity != slots.length) {
      Slot[] resized = new Slot[capacity];
      for (int i = 0; i < capacity; i++) {
        resized[i] = new Slot();
      }
      slots = resized;
      written = 0;
    }
  }

  @Override
  public synchronized void onFrame(AVFrame frame, long seq, double tsUtc) {
    if (slots.length == 0) {
      return;
    }
    int bytes = av_image_get_buffer_size(frame.format(), frame.width(), frame.height(), 1);
    if (bytes <= 0) {
      return; // a hardware or exotic format we cannot copy: no snapshot for this frame
    }
    Slot slot = slots[(int) (written++ % slots.length)];
    if (slot.data == null || slot.data.capacity() < bytes) {
      slot.data = ByteBuffer.allocateDirect(bytes);
      slot.pointer = new BytePointer(slot.data); // a view of the buffer: nothing native to free
    }
    int n =
        av_image_copy_to_buffer(
            slot.pointer,
            bytes,
            frame.data(),
            frame.linesize(),
            frame.format(),
            frame.width(),
            frame.height(),
            1);
    slot.seq = n < 0 ? -1 : seq;
    slot.tsUtc = tsUtc;
    slot.width = frame.width();
    slot.height = frame.height();
    slot.format = frame.format();
    slot.bytes = bytes;
  }

  /**
   * A copy of the kept picture whose sequence is nearest to {@code seq}; empty before any frame.
   */
  public synchronized Optional<RawPicture> nearest(long seq) {
    Slot best = null;
    for (Slot s : slots) {
      if (s.seq >= 0 && (best == null || Math.abs(s.seq - seq) < Math.abs(best.seq - seq))) {
        best = s;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    ByteBuffer copy = ByteBuffer.allocateDirect(best.bytes);
    ByteBuffer src = best.data.duplicate();
    src.position(0).limit(best.bytes);
    copy.put(src).flip();
    return Optional.of(
        new RawPicture(best.seq, best.tsUtc, best.width, best.height, best.format, copy));
  }

  /** Oldest and newest sequence kept, or empty. */
  public synchronized Optional<long[]> range() {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Slot s : slots) {
      if (s.seq >= 0) {
        lo = Math.min(lo, s.seq);
        hi = Math.max(hi, s.seq);
      }
    }
    return lo == Long.MAX_VALUE ? Optional.empty() : Optional.of(new long[] {lo, hi});
  }

  public synchronized int capacity() {
    return slots.length;
  }

  @Override
  public synchronized void close() {
    slots = new Slot[0];
  }

  private static final class Slot {
    long seq = -1;
    double tsUtc;
    int width;
    int height;
    int format;
    int bytes;
    ByteBuffer data;
    BytePointer pointer;
  }
}
