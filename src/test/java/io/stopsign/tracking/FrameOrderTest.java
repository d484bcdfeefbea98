package io.stopsign.tracking;

import static io.stopsign.tracking.FrameOrder.Verdict.NEW_RUN;
import static io.stopsign.tracking.FrameOrder.Verdict.NEXT;
import static io.stopsign.tracking.FrameOrder.Verdict.STALE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FrameOrderTest {

  @Test
  @DisplayName("Frames only move forward within a session; late and repeated ones are stale")
  void forwardOnly() {
    FrameOrder order = new FrameOrder();
    assertThat(order.admit("a", 5)).isEqualTo(NEW_RUN);
    assertThat(order.admit("a", 6)).isEqualTo(NEXT);
    assertThat(order.admit("a", 9)).isEqualTo(NEXT);
    assertThat(order.admit("a", 8)).isEqualTo(STALE);
    assertThat(order.admit("a", 9)).isEqualTo(STALE);
    assertThat(order.admit("a", 10)).isEqualTo(NEXT);
    assertThat(order.lastSeq()).isEqualTo(10);
  }

  @Test
  @DisplayName("A new run id starts afresh, and stragglers of the replaced run are stale")
  void newRun() {
    FrameOrder order = new FrameOrder();
    order.admit("a", 100);
    assertThat(order.admit("b", 0)).isEqualTo(NEW_RUN);
    assertThat(order.runId()).isEqualTo("b");
    assertThat(order.admit("a", 101)).isEqualTo(STALE);
    assertThat(order.admit("b", 1)).isEqualTo(NEXT);
    assertThat(order.admit(null, 2)).isEqualTo(STALE);
  }
}
