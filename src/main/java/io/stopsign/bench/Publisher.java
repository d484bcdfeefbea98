package io.stopsign.bench;

import io.stopsign.bus.Addresses;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;

/**
 * Publishes P4's metadata on the bus at a fixed rate, frame numbers counting on across calls (the
 * hub sends a camera's frames only in increasing order).
 */
final class Publisher {
  private final Vertx vertx;
  private final long periodMs;
  private long frame;
  private volatile CountDownLatch done = new CountDownLatch(0);

  Publisher(Vertx vertx, double rateHz) {
    this.vertx = vertx;
    this.periodMs = Math.max(1, Math.round(1000 / rateHz));
  }

  /**
   * Starts sending {@code messages} messages, one per period; {@link #awaitSent} waits for them.
   */
  void send(long messages) {
    CountDownLatch latch = new CountDownLatch(1);
    done = latch;
    long[] left = {messages};
    vertx.setPeriodic(
        periodMs,
        t -> {
          if (left[0]-- <= 0) {
            vertx.cancelTimer(t);
            latch.countDown();
            return;
          }
          vertx.eventBus().send(Addresses.metadata(Throughput.CAMERA), Fanout.metadata(++frame));
        });
  }

  void awaitSent() throws InterruptedException {
    done.await();
  }
}
