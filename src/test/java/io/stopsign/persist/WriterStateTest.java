package io.stopsign.persist;

import static io.stopsign.persist.WriterState.DRAINING;
import static io.stopsign.persist.WriterState.PREPARING;
import static io.stopsign.persist.WriterState.REPLAYING;
import static io.stopsign.persist.WriterState.SPOOLING;
import static io.stopsign.persist.WriterState.STARTING;
import static io.stopsign.persist.WriterState.STOPPED;
import static io.stopsign.persist.WriterState.STOPPING;
import static io.stopsign.persist.WriterState.WRITING;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.healthchecks.Status;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WriterStateTest {

  private static Set<WriterState> reachableFrom(WriterState from) {
    Set<WriterState> seen = EnumSet.of(from);
    ArrayDeque<WriterState> todo = new ArrayDeque<>(seen);
    while (!todo.isEmpty()) {
      WriterState s = todo.poll();
      for (WriterState to : WriterState.values()) {
        if (s.canMoveTo(to) && seen.add(to)) {
          todo.add(to);
        }
      }
    }
    return seen;
  }

  @Test
  @DisplayName(
      "every state is reachable from STARTING, every state ends in STOPPED, STOPPED is final")
  void graph() {
    assertThat(reachableFrom(STARTING)).containsExactlyInAnyOrder(WriterState.values());
    for (WriterState s : WriterState.values()) {
      assertThat(reachableFrom(s)).as("from %s", s).contains(STOPPED);
    }
    assertThat(reachableFrom(STOPPED)).containsExactly(STOPPED);
  }

  @Test
  @DisplayName("the outage cycle: down from any online step, probe, prepare, replay, writing again")
  void outageCycle() {
    for (WriterState s : EnumSet.of(STARTING, WRITING, PREPARING, REPLAYING)) {
      assertThat(s.onDown()).isEqualTo(SPOOLING);
      assertThat(s.canMoveTo(SPOOLING)).isTrue();
    }
    assertThat(SPOOLING.canMoveTo(PREPARING)).isTrue();
    assertThat(PREPARING.canMoveTo(REPLAYING)).isTrue();
    assertThat(REPLAYING.canMoveTo(WRITING)).isTrue();
    // nothing overtakes the spool: no way back to writing directly but through a replay
    assertThat(SPOOLING.canMoveTo(WRITING)).isFalse();
    assertThat(PREPARING.canMoveTo(WRITING)).isFalse();
    assertThat(WRITING.canMoveTo(REPLAYING)).isFalse();
  }

  @Test
  @DisplayName("close drains to the database while online, to the spool otherwise, and refuses new")
  void close() {
    assertThat(WRITING.onClose()).isEqualTo(DRAINING);
    for (WriterState s : EnumSet.of(STARTING, SPOOLING, PREPARING, REPLAYING)) {
      assertThat(s.onClose()).isEqualTo(STOPPING);
      assertThat(s.canMoveTo(STOPPING)).isTrue();
      assertThat(s.closing()).isFalse();
    }
    assertThat(DRAINING.onDown()).isEqualTo(STOPPING);
    assertThat(STOPPING.onDown()).isEqualTo(STOPPING);
    assertThat(STOPPED.onDown()).isEqualTo(STOPPED);
    assertThat(EnumSet.allOf(WriterState.class).stream().filter(WriterState::closing))
        .containsExactlyInAnyOrder(DRAINING, STOPPING, STOPPED);
    assertThat(EnumSet.allOf(WriterState.class).stream().filter(WriterState::direct))
        .containsExactlyInAnyOrder(WRITING, DRAINING);
  }

  private static WriterHealth.Figures figures(WriterState state, boolean full) {
    return new WriterHealth.Figures(
        state, 100, 1000, full, null, Instant.ofEpochSecond(10), "Connection refused");
  }

  @Test
  @DisplayName("readiness: ok while writing, degraded while spooling or replaying, down when full")
  void health() {
    assertThat(WriterHealth.of(figures(WRITING, false)).isOk()).isTrue();
    assertThat(WriterHealth.of(figures(WRITING, false)).getData().getString("status"))
        .isEqualTo("ok");
    Status spooling = WriterHealth.of(figures(SPOOLING, false));
    assertThat(spooling.isOk()).isTrue();
    assertThat(spooling.getData().getString("status")).isEqualTo("degraded");
    assertThat(spooling.getData().getString("reason")).startsWith("database unreachable");
    assertThat(spooling.getData().getDouble("since_ts_utc")).isEqualTo(10.0);
    assertThat(WriterHealth.of(figures(REPLAYING, false)).getData().getString("reason"))
        .isEqualTo("database back, replaying the spool");
    Status full = WriterHealth.of(figures(SPOOLING, true));
    assertThat(full.isOk()).isFalse();
    assertThat(full.getData().getString("status")).isEqualTo("spool_full");
    assertThat(full.getData().getLong("spool_max_bytes")).isEqualTo(1000L);
  }
}
