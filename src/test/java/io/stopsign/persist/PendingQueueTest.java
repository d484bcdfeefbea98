package io.stopsign.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.stopsign.ops.Meters;
import io.stopsign.persist.PendingRecord.Refused;
import io.stopsign.persist.PersistRecord.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PendingQueueTest {

  private static double shed(String kind) {
    Counter c = Meters.registry().find("stopsign_spool_shed").tag("kind", kind).counter();
    return c == null ? 0 : c.count();
  }

  private static PersistRecord record(Kind kind, int i) {
    return PersistRecord.of(kind, new JsonObject().put("id", kind.wire + "-" + i));
  }

  @Test
  @DisplayName(
      "full: a pass or event is refused 503 to its producer, session metrics shed and counted, in"
          + " order and room again once taken")
  void bounded() {
    WriterMeters meters = new WriterMeters(() -> 0, 1000);
    try {
      PendingQueue queue = new PendingQueue(meters);
      for (int i = 0; i < PendingQueue.MAX; i++) {
        assertThat(queue.offer(record(Kind.PASS, i)).isComplete()).isFalse();
      }
      Future<?> pass = queue.offer(record(Kind.PASS, -1));
      Future<?> event = queue.offer(record(Kind.EVENT, -1));
      double before = shed("session_metrics");
      Future<?> metrics = queue.offer(record(Kind.SESSION_METRICS, -1));
      for (Future<?> refused : new Future<?>[] {pass, event, metrics}) {
        assertThat(refused.failed()).isTrue();
        assertThat(((Refused) refused.cause()).code).isEqualTo(503);
      }
      assertThat(pass.cause()).hasMessageContaining("retry later");
      assertThat(shed("session_metrics")).isEqualTo(before + 1);

      assertThat(queue.takeGroup(false))
          .hasSize(200)
          .first()
          .extracting(p -> p.record().toLine())
          .isEqualTo(record(Kind.PASS, 0).toLine());
      assertThat(queue.offer(record(Kind.PASS, -2)).isComplete()).isFalse();
      assertThat(queue.drain()).hasSize(PendingQueue.MAX - 200 + 1);
      assertThat(queue.isEmpty()).isTrue();
    } finally {
      meters.close();
    }
  }
}
