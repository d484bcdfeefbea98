package io.stopsign.tracking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimum-cost assignment of rows to columns: the Hungarian method with potentials and shortest
 * augmenting paths (the Jonker-Volgenant formulation), O(n^3) on an n x n matrix. Infeasible pairs
 * are any non-finite cost ({@link Double#POSITIVE_INFINITY}, NaN).
 */
public final class LinearAssignment {

  /** Marks a row or column left without a partner. */
  public static final int UNASSIGNED = -1;

  /**
   * Assigns as many rows as possible, then at least total cost; rectangular matrices allowed.
   *
   * @return for each row its column, or {@link #UNASSIGNED}
   */
  public static int[] minimize(double[][] cost) {
    double spread = 0;
    for (double[] row : cost) {
      for (double c : row) {
        if (feasible(c)) {
          spread += Math.abs(c);
        }
      }
    }
    // Leaving a pair unmatched must cost more than any possible difference in matched cost.
    return match(cost, 2 * spread + 1, false);
  }

  /**
   * Assigns rows to columns at cost at most {@code costLimit}, minimising the matched cost plus
   * {@code costLimit / 2} for every unmatched row and column (the {@code lapjv} cost-limit rule
   * ByteTrack uses: a pair is worth matching only if it costs less than leaving both sides alone).
   *
   * @return for each row its column, or {@link #UNASSIGNED}
   */
  public static int[] match(double[][] cost, double costLimit) {
    return match(cost, costLimit, true);
  }

  private static int[] match(double[][] cost, double costLimit, boolean capAtLimit) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    int[] result = new int[rows];
    Arrays.fill(result, UNASSIGNED);
    if (rows == 0 || cols == 0) {
      return result;
    }
    if (!(costLimit >= 0) || Double.isInfinite(costLimit)) {
      throw new IllegalArgumentException("cost limit must be finite and >= 0, got " + costLimit);
    }
    boolean[][] allowed = new boolean[rows][cols];
    for (int i = 0; i < rows; i++) {
      if (cost[i].length != cols) {
        throw new IllegalArgumentException(
            "ragged cost matrix: row " + i + " has " + cost[i].length);
      }
      for (int j = 0; j < cols; j++) {
        double c = cost[i][j];
        allowed[i][j] = feasible(c) && (!capAtLimit || c <= costLimit);
      }
    }
    // The objective splits over groups of rows and columns linked by allowed pairs; on a road most
    // tracks overlap one or two detections, so each group is tiny and solved on its own.
    int[] rowGroup = new int[rows];
    int[] colGroup = new int[cols];
    Arrays.fill(rowGroup, -1);
    Arrays.fill(colGroup, -1);
    int groups = 0;
    for (int start = 0; start < rows; start++) {
      if (rowGroup[start] >= 0) {
        continue;
      }
      int g = groups++;
      ArrayDeque<Integer> pending = new ArrayDeque<>();
      rowGroup[start] = g;
      pending.add(start);
      List<Integer> groupRows = new ArrayList<>();
      List<Integer> groupCols = new ArrayList<>();
      while (!pending.isEmpty()) {
        int i = pending.poll();
        groupRows.add(i);
        for (int j = 0; j < cols; j++) {
          if (allowed[i][j] && colGroup[j] < 0) {
            colGroup[j] = g;
            groupCols.add(j);
            for (int k = 0; k < rows; k++) {
              if (allowed[k][j] && rowGroup[k] < 0) {
                rowGroup[k] = g;
                pending.add(k);
              }
            }
          }
        }
      }
      if (!groupCols.isEmpty()) {
        solveGroup(cost, allowed, groupRows, groupCols, costLimit / 2, result);
      }
    }
    return result;
  }

  /** Solves one group on its square extension: each row and column may pair with its own dummy. */
  private static void solveGroup(
      double[][] cost,
      boolean[][] allowed,
      List<Integer> groupRows,
      List<Integer> groupCols,
      double half,
      int[] result) {
    int rows = groupRows.size();
    int cols = groupCols.size();
    int n = rows + cols;
    double[][] ext = new double[n][n];
    for (double[] row : ext) {
      Arrays.fill(row, Double.POSITIVE_INFINITY);
    }
    for (int i = 0; i < rows; i++) {
      int r = groupRows.get(i);
      for (int j = 0; j < cols; j++) {
        int c = groupCols.get(j);
        if (allowed[r][c]) {
          ext[i][j] = cost[r][c];
        }
      }
      ext[i][cols + i] = half;
    }
    for (int j = 0; j < cols; j++) {
      ext[rows + j][j] = half;
      for (int k = 0; k < rows; k++) {
        ext[rows + j][cols + k] = 0;
      }
    }
    int[] rowToCol = solveSquare(ext);
    for (int i = 0; i < rows; i++) {
      if (rowToCol[i] < cols) {
        result[groupRows.get(i)] = groupCols.get(rowToCol[i]);
      }
    }
  }

  /**
   * Shortest-augmenting-path Hungarian on a square matrix that has at least one finite perfect
   * matching (the extension above guarantees one). Returns the column of each row.
   */
  static int[] solveSquare(double[][] a) {
    int n = a.length;
    // 1-based potentials and matching, column 0 is the virtual start of each augmenting path.
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] colOwner = new int[n + 1];
    int[] way = new int[n + 1];
    double[] minv = new double[n + 1];
    boolean[] used = new boolean[n + 1];
    for (int i = 1; i <= n; i++) {
      colOwner[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = colOwner[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        if (j1 < 0) {
          throw new IllegalStateException("no feasible assignment");
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[colOwner[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (colOwner[j0] != 0);
      do {
        int j1 = way[j0];
        colOwner[j0] = colOwner[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] rowToCol = new int[n];
    for (int j = 1; j <= n; j++) {
      rowToCol[colOwner[j] - 1] = j - 1;
    }
    return rowToCol;
  }

  private static boolean feasible(double c) {
    return Double.isFinite(c);
  }

  private LinearAssignment() {}
}
