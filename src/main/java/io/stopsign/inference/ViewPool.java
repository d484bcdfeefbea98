package io.stopsign.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Runs the views of one frame (the whole picture and its tiles) at once: the calling thread and
 * helpers from a pool shared by every camera's detector each take the next view not yet started, so
 * a frame uses the cores and never waits for a helper busy with another camera's frame.
 */
final class ViewPool {
  private static final AtomicInteger THREADS = new AtomicInteger();
  // all cores but the caller's; the caller always runs views itself
  private static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
  private static final ViewPool SEQUENTIAL = new ViewPool(Runnable::run, 0);
  private static final ViewPool SHARED = withHelpers(HELPERS);

  private final Executor helpers;
  private final int size;

  private ViewPool(Executor helpers, int size) {
    this.helpers = helpers;
    this.size = size;
  }

  /** The pool every camera shares: one helper per core but one. */
  static ViewPool shared() {
    return SHARED;
  }

  /** A pool of its own with {@code helpers} threads besides the caller (0: the caller alone). */
  static ViewPool withHelpers(int helpers) {
    return helpers == 0 ? SEQUENTIAL : new ViewPool(helpers(helpers), helpers);
  }

  /** The caller alone, one view after the other. */
  static ViewPool sequential() {
    return SEQUENTIAL;
  }

  /**
   * {@code view.apply(i)} for every {@code i < views}, results in view order. Returns only when
   * every view has finished (the frame's pixels are the caller's again); the first failure, in view
   * order, is rethrown.
   */
  <T> List<T> run(int views, IntFunction<T> view) {
    AtomicReferenceArray<T> results = new AtomicReferenceArray<>(views);
    AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(views);
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(views);
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < views; i = next.getAndIncrement()) {
            try {
              results.set(i, view.apply(i));
            } catch (RuntimeException | Error e) {
              failures.set(i, e);
            } finally {
              done.countDown();
            }
          }
        };
    for (int h = 0; h < Math.min(size, views - 1); h++) {
      helpers.execute(worker);
    }
    worker.run();
    awaitUninterruptibly(done);
    List<T> out = new ArrayList<>(views);
    for (int i = 0; i < views; i++) {
      Throwable e = failures.get(i);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e != null) {
        throw (Error) e;
      }
      out.add(results.get(i));
    }
    return out;
  }

  private static void awaitUninterruptibly(CountDownLatch done) {
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // a helper still reads the frame: wait, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Executor helpers(int threads) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "tile-views-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
