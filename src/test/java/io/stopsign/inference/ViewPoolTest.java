package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A frame's views at once: results in view order, every view finished before the caller goes on.
 */
class ViewPoolTest {

  @Test
  @DisplayName("views run on the caller and the helpers at once and come back in view order")
  void runsAtOnceInOrder() {
    ViewPool pool = ViewPool.withHelpers(3);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch together = new CountDownLatch(4);
    List<Integer> out =
        pool.run(
            4,
            i -> {
              threads.add(Thread.currentThread());
              together.countDown();
              try {
                // each view waits for all four to have started: only true parallel runs pass
                assertThat(together.await(30, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return i * 10;
            });
    assertThat(out).containsExactly(0, 10, 20, 30);
    assertThat(threads).hasSize(4).contains(Thread.currentThread());
  }

  @Test
  @DisplayName("the caller alone runs every view in order")
  void sequential() {
    List<Thread> threads = new java.util.ArrayList<>();
    List<String> out =
        ViewPool.sequential()
            .run(
                3,
                i -> {
                  threads.add(Thread.currentThread());
                  return "view " + i;
                });
    assertThat(out).containsExactly("view 0", "view 1", "view 2");
    assertThat(threads).containsOnly(Thread.currentThread());
  }

  @Test
  @DisplayName("a failing view fails the frame only once every other view has finished")
  void failureWaitsForTheOthers() {
    ViewPool pool = ViewPool.withHelpers(2);
    AtomicInteger finished = new AtomicInteger();
    assertThatThrownBy(
            () ->
                pool.run(
                    4,
                    i -> {
                      if (i == 1) {
                        throw new IllegalArgumentException("view 1 broke");
                      }
                      sleep(50);
                      return finished.incrementAndGet();
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("view 1 broke");
    assertThat(finished).hasValue(3);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
