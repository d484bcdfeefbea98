package io.stopsign.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.cluster.CameraLeaseVerticle.LeaseTiming;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two analyzers sharing one lease map (the single-node map; Hazelcast's has the same contract). */
@ExtendWith(VertxExtension.class)
class CameraLeaseVerticleTest {
  private static final LeaseTiming FAST = new LeaseTiming(1500, 250, 1000);
  private static final List<String> CAMERAS = List.of("camA", "camB");

  /** camera -> nodes analysing it now; an overlap would show as two nodes. */
  private final Map<String, Set<String>> running = new ConcurrentHashMap<>();

  private final List<String> overlaps = java.util.Collections.synchronizedList(new ArrayList<>());

  private CameraPipelines pipelines(String node) {
    return new CameraPipelines() {
      @Override
      public Future<Void> start(String camera) {
        Set<String> nodes = running.computeIfAbsent(camera, c -> ConcurrentHashMap.newKeySet());
        nodes.add(node);
        if (nodes.size() > 1) {
          overlaps.add(camera + " on " + nodes);
        }
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stop(String camera) {
        running.getOrDefault(camera, Set.of()).remove(node);
        return Future.succeededFuture();
      }
    };
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void waitFor(String what, BooleanSupplier condition) throws Exception {
    long end = System.currentTimeMillis() + 15_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private Set<String> on(String camera) {
    return running.getOrDefault(camera, Set.of());
  }

  @Test
  @DisplayName(
      "one analyzer takes every camera, a second one gets its even share, and when the holder of a"
          + " camera stops renewing (killed) the other takes it after the TTL; never two at once")
  void leasesSpreadAndFailOver(Vertx vertx) throws Exception {
    CameraLeaseVerticle n1 = new CameraLeaseVerticle("n1", CAMERAS, pipelines("n1"), FAST);
    await(vertx.deployVerticle(n1));
    waitFor(
        "n1 analyses both",
        () -> on("camA").equals(Set.of("n1")) && on("camB").equals(Set.of("n1")));

    CameraLeaseVerticle n2 = new CameraLeaseVerticle("n2", CAMERAS, pipelines("n2"), FAST);
    await(vertx.deployVerticle(n2));
    waitFor(
        "one camera each",
        () -> on("camA").size() == 1 && on("camB").size() == 1 && !on("camA").equals(on("camB")));

    String moved = on("camA").contains("n1") ? "camA" : "camB";
    vertx.runOnContext(x -> n1.halt());
    // what a killed process looks like to the others: no renewal, and nothing runs there any more
    running.values().forEach(nodes -> nodes.remove("n1"));
    waitFor("n2 takes " + moved + " from the halted n1", () -> on(moved).contains("n2"));
    assertThat(on("camA")).containsExactly("n2");
    assertThat(on("camB")).containsExactly("n2");

    CameraLeaseVerticle n3 = new CameraLeaseVerticle("n3", CAMERAS, pipelines("n3"), FAST);
    await(vertx.deployVerticle(n3));
    waitFor("n3 gets one camera", () -> on("camA").contains("n3") || on("camB").contains("n3"));
    assertThat(on("camA").size() + on("camB").size()).as("n2 keeps exactly one").isEqualTo(2);
    assertThat(overlaps).as("a camera never runs on two analyzers at once").isEmpty();
  }
}
