package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.healthchecks.Status;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErrorBudgetTest {
  private static final long S = 1_000_000_000L;

  @Test
  @DisplayName("at the budget is UP, one failed frame more is DOWN with the counts in its reason")
  void bothSidesOfTheBudget() {
    ErrorBudget at = new ErrorBudget(0.05, 60);
    at.add(0, 0, 0);
    at.add(10 * S, 100, 5);
    assertThat(at.share()).isEqualTo(0.05);
    assertThat(at.status().isOk()).isTrue();

    ErrorBudget over = new ErrorBudget(0.05, 60);
    over.add(0, 0, 0);
    over.add(10 * S, 100, 6);
    Status down = over.status();
    assertThat(down.isOk()).isFalse();
    assertThat(down.getData().getString("reason"))
        .isEqualTo("6 of 100 frames failed in the last 60 s (6.0 %, budget 5.0 %)");
    assertThat(down.getData().getLong("failed")).isEqualTo(6);
  }

  @Test
  @DisplayName("failures older than the window no longer count")
  void slidingWindow() {
    ErrorBudget budget = new ErrorBudget(0.05, 60);
    budget.add(0, 0, 0);
    budget.add(10 * S, 100, 50); // a burst of damage
    assertThat(budget.exceeded()).isTrue();
    for (int t = 11; t <= 75; t++) {
      budget.add(t * S, 100 + (t - 10) * 10, 50); // clean frames afterwards
    }
    assertThat(budget.failed()).isZero();
    assertThat(budget.exceeded()).isFalse();
  }

  @Test
  @DisplayName("too few frames to judge (a failed reconnect among a handful) stays UP")
  void fewFrames() {
    ErrorBudget budget = new ErrorBudget(0.05, 60);
    budget.add(0, 0, 0);
    budget.add(S, ErrorBudget.MIN_FRAMES - 1, 2);
    assertThat(budget.share()).isGreaterThan(0.05);
    assertThat(budget.exceeded()).isFalse();
  }

  @Test
  @DisplayName("counters registered anew (the camera restarted) start the window over")
  void countersReset() {
    ErrorBudget budget = new ErrorBudget(0.05, 60);
    budget.add(0, 1000, 500);
    budget.add(S, 10, 0);
    budget.add(2 * S, 100, 1);
    assertThat(budget.frames()).isEqualTo(90);
    assertThat(budget.failed()).isEqualTo(1);
  }
}
