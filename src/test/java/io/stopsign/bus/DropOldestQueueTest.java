package io.stopsign.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DropOldestQueueTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  @DisplayName("keeps at most its capacity, dropping the oldest first, in FIFO order")
  void dropsOldest() {
    List<Integer> dropped = new ArrayList<>();
    DropOldestQueue<Integer> q = new DropOldestQueue<>("test.order", 3, registry, dropped::add);
    for (int i = 1; i <= 5; i++) {
      q.offer(i);
    }
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.dropped()).isEqualTo(2);
    assertThat(dropped).containsExactly(1, 2);
    assertThat(List.of(q.poll(), q.poll(), q.poll())).containsExactly(3, 4, 5);
    assertThat(q.poll()).isNull();
    q.close();
  }

  @Test
  @DisplayName(
      "pollNewest takes the newest item and drops (and counts) the older ones; discard counts one"
          + " taken and found stale")
  void pollNewestDropsOlder() throws Exception {
    List<Integer> dropped = new ArrayList<>();
    DropOldestQueue<Integer> q = new DropOldestQueue<>("test.newest", 3, registry, dropped::add);
    for (int i = 1; i <= 3; i++) {
      q.offer(i);
    }
    assertThat(q.pollNewest(1, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(dropped).containsExactly(1, 2);
    assertThat(q.dropped()).isEqualTo(2);
    assertThat(q.size()).isZero();
    q.offer(4);
    assertThat(q.pollNewest(1, TimeUnit.SECONDS)).isEqualTo(4);
    assertThat(q.dropped()).isEqualTo(2);
    assertThat(q.pollNewest(1, TimeUnit.MILLISECONDS)).isNull();
    assertThat(registry.get("stopsign_queue_dropped").tag("queue", "test.newest").counter().count())
        .isEqualTo(2);
    q.offer(5);
    q.discard(q.pollNewest(1, TimeUnit.SECONDS));
    assertThat(dropped).as("a taken item found stale").containsExactly(1, 2, 5);
    assertThat(q.dropped()).isEqualTo(3);
    assertThat(registry.get("stopsign_queue_dropped").tag("queue", "test.newest").counter().count())
        .isEqualTo(3);
    q.close();
  }

  @Test
  @DisplayName("exports depth and drops to Prometheus under the queue's name")
  void exportsMeters() {
    DropOldestQueue<String> q = new DropOldestQueue<>("test.meters", 1, registry);
    q.offer("a");
    q.offer("b");
    String scrape = registry.scrape();
    assertThat(scrape).contains("stopsign_queue_depth{camera=\"\",queue=\"test.meters\"} 1.0");
    assertThat(scrape)
        .contains("stopsign_queue_dropped_total{camera=\"\",queue=\"test.meters\"} 1.0");
    q.close();
    assertThat(registry.scrape()).doesNotContain("test.meters");
  }

  @Test
  @DisplayName("a capacity below one is refused")
  void capacityChecked() {
    assertThatThrownBy(() -> new DropOldestQueue<>("test.bad", 0, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }

  @Test
  @DisplayName("a blocked taker wakes on offer, and times out when nothing comes")
  void blockingPoll() throws Exception {
    DropOldestQueue<String> q = new DropOldestQueue<>("test.blocking", 2, registry);
    assertThat(q.poll(20, TimeUnit.MILLISECONDS)).isNull();
    Thread producer = new Thread(() -> q.offer("x"));
    producer.start();
    assertThat(q.poll(5, TimeUnit.SECONDS)).isEqualTo("x");
    producer.join();
    q.close();
  }

  @Test
  @DisplayName(
      "under concurrent producers and consumers every item is either taken or dropped once")
  void concurrentAccounting() throws Exception {
    int producers = 4;
    int perProducer = 20_000;
    AtomicLong droppedSeen = new AtomicLong();
    DropOldestQueue<Long> q =
        new DropOldestQueue<>("test.concurrent", 8, registry, x -> droppedSeen.incrementAndGet());
    ConcurrentLinkedQueue<Long> taken = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(producers);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      long base = (long) p * perProducer;
      Thread t =
          new Thread(
              () -> {
                for (long i = 0; i < perProducer; i++) {
                  q.offer(base + i);
                }
                done.countDown();
              });
      threads.add(t);
    }
    Thread consumer =
        new Thread(
            () -> {
              try {
                while (done.getCount() > 0 || q.size() > 0) {
                  Long item = q.poll(10, TimeUnit.MILLISECONDS);
                  if (item != null) {
                    taken.add(item);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    consumer.start();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    consumer.join();
    long total = (long) producers * perProducer;
    assertThat(taken.size() + q.dropped()).isEqualTo(total);
    assertThat(droppedSeen.get()).isEqualTo(q.dropped());
    assertThat(taken).doesNotHaveDuplicates();
    q.close();
  }
}
