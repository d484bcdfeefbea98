package io.stopsign.decode;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct buffers of one frame size, reused so that decode does not allocate per frame. A buffer
 * that is never handed back (a frame lost on the way) is simply garbage-collected; the pool then
 * allocates a fresh one, and says so once in the log.
 */
public final class FramePool {
  private static final Logger LOG = LoggerFactory.getLogger(FramePool.class);

  private final String name;
  private final int bytes;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<ByteBuffer> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger allocated = new AtomicInteger();
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * @param bytes size of each buffer
   * @param maxIdle buffers kept for reuse; about queue capacity plus frames in flight
   */
  public FramePool(String name, int bytes, int maxIdle) {
    if (bytes < 1 || maxIdle < 1) {
      throw new IllegalArgumentException("pool " + name + ": bytes and maxIdle must be positive");
    }
    this.name = name;
    this.bytes = bytes;
    this.maxIdle = maxIdle;
  }

  /**
   * A buffer of {@link #bytes()} bytes, position 0, limit = capacity, and its one-shot releaser.
   */
  public Lease acquire() {
    ByteBuffer buffer = idle.pollFirst();
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(bytes);
      if (allocated.incrementAndGet() > 4 * maxIdle && warned.compareAndSet(false, true)) {
        LOG.warn(
            "frame pool {}: {} buffers allocated, frames are not being released",
            name,
            allocated.get());
      }
    }
    buffer.clear();
    return new Lease(buffer, this);
  }

  public int bytes() {
    return bytes;
  }

  /** Buffers allocated so far (reused ones are counted once). */
  public int allocated() {
    return allocated.get();
  }

  /** Buffers waiting for reuse. */
  public int idle() {
    return idle.size();
  }

  private void giveBack(ByteBuffer buffer) {
    if (idle.size() < maxIdle) {
      idle.offerFirst(buffer);
    }
  }

  /** One borrowed buffer; {@link #release()} hands it back once, later calls do nothing. */
  public static final class Lease implements Runnable {
    private final ByteBuffer buffer;
    private final FramePool pool;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(ByteBuffer buffer, FramePool pool) {
      this.buffer = buffer;
      this.pool = pool;
    }

    public ByteBuffer buffer() {
      return buffer;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        pool.giveBack(buffer);
      }
    }

    @Override
    public void run() {
      release();
    }
  }
}
