package io.stopsign.bus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A bounded queue that keeps the freshest items: when full, offering drops the oldest. Used at
 * every boundary of the live path, so a slow consumer sees recent data instead of a growing
 * backlog. Depth and drops are exported as {@code stopsign_queue_depth} and {@code
 * stopsign_queue_dropped_total} tagged with the queue name and the camera it serves ({@code ""}
 * when it serves no single camera), on the registry the owner passes (the bus depends on no stage,
 * so it does not reach for the process registry itself); readers select by the camera tag, never by
 * the queue name.
 */
public final class DropOldestQueue<T> {
  /** The camera tag of a queue that serves several cameras or none (WebSocket clients, persist). */
  public static final String NO_CAMERA = "";

  private final String name;
  private final int capacity;
  private final ArrayDeque<T> items;
  private final Consumer<? super T> onDrop;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Counter dropCounter;
  private final Gauge depthGauge;
  private final MeterRegistry registry;
  private long dropped;

  public DropOldestQueue(String name, int capacity, MeterRegistry registry) {
    this(name, NO_CAMERA, capacity, registry, item -> {});
  }

  /** A queue serving no single camera; {@code onDrop} sees each item pushed out. */
  public DropOldestQueue(
      String name, int capacity, MeterRegistry registry, Consumer<? super T> onDrop) {
    this(name, NO_CAMERA, capacity, registry, onDrop);
  }

  /**
   * @param camera the camera whose items the queue holds: its meters' {@code camera} tag
   * @param onDrop sees each item pushed out, e.g. to return a pooled buffer
   */
  public DropOldestQueue(
      String name,
      String camera,
      int capacity,
      MeterRegistry registry,
      Consumer<? super T> onDrop) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "queue " + name + ": capacity must be >= 1, got " + capacity);
    }
    this.name = name;
    this.capacity = capacity;
    this.items = new ArrayDeque<>(capacity);
    this.onDrop = onDrop;
    this.registry = registry;
    this.dropCounter =
        Counter.builder("stopsign_queue_dropped")
            .description("Items dropped (oldest first) because the queue was full")
            .tag("queue", name)
            .tag("camera", camera)
            .register(registry);
    this.depthGauge =
        Gauge.builder("stopsign_queue_depth", this, DropOldestQueue::size)
            .description("Items waiting in the queue")
            .tag("queue", name)
            .tag("camera", camera)
            .register(registry);
  }

  /** Adds an item, dropping the oldest if full. Returns the number of items dropped (0 or 1). */
  public int offer(T item) {
    T evicted = null;
    lock.lock();
    try {
      if (items.size() == capacity) {
        evicted = items.pollFirst();
        dropped++;
      }
      items.addLast(item);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    if (evicted != null) {
      dropCounter.increment();
      onDrop.accept(evicted);
      return 1;
    }
    return 0;
  }

  /** Takes the oldest item, or null when empty. */
  public T poll() {
    lock.lock();
    try {
      return items.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the oldest item, waiting up to the timeout; null when none came. Never call on an event
   * loop.
   */
  public T poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lock();
    try {
      while (items.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return items.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the newest item, waiting up to the timeout, and drops the older ones (counted, handed to
   * the drop callback): a consumer that is free takes the freshest item, never a backlog. Null when
   * none came. Never call on an event loop.
   */
  public T pollNewest(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    T newest;
    T older1 = null;
    ArrayDeque<T> older = null;
    lock.lock();
    try {
      while (items.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      newest = items.pollLast();
      if (!items.isEmpty()) {
        dropped += items.size();
        older1 = items.pollFirst();
        if (!items.isEmpty()) {
          older = new ArrayDeque<>(items);
          items.clear();
        }
      }
    } finally {
      lock.unlock();
    }
    if (older1 != null) {
      dropCounter.increment();
      onDrop.accept(older1);
    }
    if (older != null) {
      dropCounter.increment(older.size());
      older.forEach(onDrop);
    }
    return newest;
  }

  /**
   * Drops an item the consumer took out and then found stale (a newer one replaced it): counted as
   * a drop and handed to the drop callback, like one pushed out.
   */
  public void discard(T item) {
    lock.lock();
    try {
      dropped++;
    } finally {
      lock.unlock();
    }
    dropCounter.increment();
    onDrop.accept(item);
  }

  /** Removes every item, handing each to the drop callback (not counted as a drop). */
  public void clear() {
    ArrayDeque<T> removed;
    lock.lock();
    try {
      removed = new ArrayDeque<>(items);
      items.clear();
    } finally {
      lock.unlock();
    }
    removed.forEach(onDrop);
  }

  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  public int capacity() {
    return capacity;
  }

  public String name() {
    return name;
  }

  /** Unregisters the queue's meters; call when its owner stops. */
  public void close() {
    clear();
    registry.remove(dropCounter);
    registry.remove(depthGauge);
  }
}
