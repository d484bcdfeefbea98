package io.stopsign.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LinearAssignmentTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  @DisplayName("A known square matrix gets its optimal assignment, not the greedy one")
  void knownSquare() {
    double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
    int[] rows = LinearAssignment.minimize(cost);
    assertThat(rows).containsExactly(1, 0, 2);
    assertThat(total(cost, rows)).isEqualTo(5);
  }

  @Test
  @DisplayName("Greedy picking of the cheapest pair is beaten where it should be")
  void beatsGreedy() {
    // Greedy takes (0,0)=1 and is then forced into (1,1)=100; optimal is 2+3.
    double[][] cost = {{1, 2}, {3, 100}};
    assertThat(LinearAssignment.minimize(cost)).containsExactly(1, 0);
  }

  @Test
  @DisplayName("Wide and tall matrices assign min(rows, cols) pairs optimally")
  void rectangular() {
    double[][] wide = {{9, 2, 7, 8}, {6, 4, 3, 7}};
    assertThat(LinearAssignment.minimize(wide)).containsExactly(1, 2);
    double[][] tall = {{9, 6}, {2, 4}, {7, 3}, {8, 7}};
    assertThat(LinearAssignment.minimize(tall)).containsExactly(-1, 0, 1, -1);
  }

  @Test
  @DisplayName(
      "Infeasible entries are never assigned; a row with no feasible column stays unassigned")
  void infeasible() {
    double[][] cost = {{INF, 1, INF}, {INF, 2, INF}, {Double.NaN, INF, 5}};
    int[] rows = LinearAssignment.minimize(cost);
    assertThat(rows[2]).isEqualTo(2);
    assertThat(rows[0] == 1 ^ rows[1] == 1).isTrue();
    assertThat(rows[0] == -1 || rows[1] == -1).isTrue();
    // Maximum cardinality first: the cheap pair (0,0) must give way so both rows are matched.
    double[][] forced = {{1, 10}, {2, INF}};
    assertThat(LinearAssignment.minimize(forced)).containsExactly(1, 0);
  }

  @Test
  @DisplayName("Empty matrices give no assignment")
  void empty() {
    assertThat(LinearAssignment.minimize(new double[0][0])).isEmpty();
    assertThat(LinearAssignment.match(new double[3][0], 0.8)).containsExactly(-1, -1, -1);
  }

  @Test
  @DisplayName(
      "With a cost limit, a pair costs less than leaving both sides unmatched or is dropped")
  void costLimit() {
    double[][] cost = {{0.1, 0.6}, {0.5, 0.9}};
    // (0,1)+(1,0) = 1.1 loses to (0,0) alone: 0.1 + 0.4 (row 1 alone) + 0.4 (column 1 alone).
    assertThat(LinearAssignment.match(cost, 0.8)).containsExactly(0, -1);
    assertThat(LinearAssignment.match(cost, 2.0)).containsExactly(0, 1);
    assertThat(LinearAssignment.match(new double[][] {{0.81}}, 0.8)).containsExactly(-1);
    assertThat(LinearAssignment.match(new double[][] {{0.79}}, 0.8)).containsExactly(0);
  }

  @Test
  @DisplayName(
      "On random matrices (square, rectangular, with infeasible entries) it matches brute force")
  void matchesBruteForce() {
    Random random = new Random(42);
    for (int round = 0; round < 400; round++) {
      int rows = random.nextInt(6);
      int cols = random.nextInt(6);
      double[][] cost = new double[rows][cols];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          cost[i][j] = random.nextInt(10) == 0 ? INF : random.nextDouble();
        }
      }
      double limit = 0.2 + random.nextDouble() * 0.8;
      int[] limited = LinearAssignment.match(cost, limit);
      assertThat(objective(cost, cols, limited, limit))
          .as("round %d", round)
          .isCloseTo(bruteForce(cost, 0, new boolean[cols], limit), within(1e-9));
      int[] full = LinearAssignment.minimize(cost);
      assertThat(objective(cost, cols, full, 1e6))
          .as("round %d unlimited", round)
          .isCloseTo(bruteForce(cost, 0, new boolean[cols], 1e6), within(1e-6));
    }
  }

  @Test
  @DisplayName("A dense 150 x 150 matrix is solved in well under a second")
  void fastEnough() {
    Random random = new Random(7);
    double[][] cost = new double[150][150];
    for (double[] row : cost) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble();
      }
    }
    long started = System.nanoTime();
    int[] rows = LinearAssignment.minimize(cost);
    assertThat((System.nanoTime() - started) / 1e9).isLessThan(1.0);
    assertThat(rows).doesNotContain(-1).doesNotHaveDuplicates();
  }

  private static double total(double[][] cost, int[] rows) {
    double sum = 0;
    for (int i = 0; i < rows.length; i++) {
      sum += cost[i][rows[i]];
    }
    return sum;
  }

  /**
   * Matched cost plus limit/2 per unmatched row and column; infeasible or over-limit pairs fail.
   */
  private static double objective(double[][] cost, int cols, int[] rows, double limit) {
    boolean[] used = new boolean[cols];
    double sum = 0;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0) {
        sum += limit / 2;
        continue;
      }
      assertThat(used[rows[i]]).as("column assigned twice").isFalse();
      used[rows[i]] = true;
      assertThat(cost[i][rows[i]]).isLessThanOrEqualTo(limit);
      sum += cost[i][rows[i]];
    }
    for (boolean u : used) {
      if (!u) {
        sum += limit / 2;
      }
    }
    return sum;
  }

  private static double bruteForce(double[][] cost, int row, boolean[] used, double limit) {
    if (row == cost.length) {
      double rest = 0;
      for (boolean u : used) {
        if (!u) {
          rest += limit / 2;
        }
      }
      return rest;
    }
    double best = limit / 2 + bruteForce(cost, row + 1, used, limit);
    for (int j = 0; j < used.length; j++) {
      double c = cost[row][j];
      if (!used[j] && Double.isFinite(c) && c <= limit) {
        used[j] = true;
        best = Math.min(best, c + bruteForce(cost, row + 1, used, limit));
        used[j] = false;
      }
    }
    return best;
  }
}
