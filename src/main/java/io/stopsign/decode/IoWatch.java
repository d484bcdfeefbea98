package io.stopsign.decode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Bounds every blocking FFmpeg call of one source: FFmpeg polls the interrupt callback while it
 * waits on I/O, and the callback aborts the call once its deadline passes or {@link #abort()} was
 * called. It also records since when the decode thread has been inside FFmpeg, for the stall
 * watchdog.
 */
final class IoWatch implements AutoCloseable {
  private static final AtomicLong IDS = new AtomicLong();
  private static final Map<Long, IoWatch> WATCHES = new ConcurrentHashMap<>();
  // JavaCPP callbacks are a scarce native resource: one thunk serves every source, keyed by opaque
  private static final Interrupt CALLBACK = new Interrupt();

  private final long id = IDS.incrementAndGet();
  private final LongPointer opaque = new LongPointer(1);
  private volatile long deadlineNanos;
  private volatile long busySinceNanos;
  private volatile boolean aborted;
  private volatile boolean timedOut;
  private final BooleanSupplier cancelled;

  /**
   * @param cancelled polled while FFmpeg waits: true ends the wait (the owner is stopping)
   */
  IoWatch(BooleanSupplier cancelled) {
    this.cancelled = cancelled;
    opaque.put(0, id);
    WATCHES.put(id, this);
  }

  /** Installs the callback; call before avformat_open_input. */
  void attach(AVFormatContext ctx) {
    AVIOInterruptCB cb = ctx.interrupt_callback();
    cb.callback(CALLBACK);
    cb.opaque(opaque);
  }

  /** Marks the start of a blocking call that must return within {@code timeoutNanos}. */
  void enter(long timeoutNanos) {
    long now = System.nanoTime();
    timedOut = false;
    deadlineNanos = now + timeoutNanos;
    busySinceNanos = now;
  }

  /** Marks the end of the blocking call. */
  void exit() {
    busySinceNanos = 0;
  }

  /** Makes the current and every later blocking call return at once (stop, shutdown). */
  void abort() {
    aborted = true;
  }

  boolean aborted() {
    return aborted || cancelled.getAsBoolean();
  }

  /** True when the last call was cut short by its deadline rather than by {@link #abort()}. */
  boolean timedOut() {
    return timedOut;
  }

  /** Nanoseconds the decode thread has been inside the current FFmpeg call; 0 when outside. */
  long busyNanos() {
    long since = busySinceNanos;
    return since == 0 ? 0 : System.nanoTime() - since;
  }

  private boolean interrupted() {
    if (aborted()) {
      return true;
    }
    if (busySinceNanos != 0 && System.nanoTime() - deadlineNanos > 0) {
      timedOut = true;
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    WATCHES.remove(id);
    opaque.close();
  }

  private static final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
    @Override
    public int call(Pointer opaque) {
      if (opaque == null || opaque.isNull()) {
        return 0;
      }
      IoWatch watch = WATCHES.get(new LongPointer(opaque).get());
      return watch != null && watch.interrupted() ? 1 : 0;
    }
  }
}
