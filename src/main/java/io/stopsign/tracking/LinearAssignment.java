package io.stopsign.tracking;

import java.util.Arrays;

/**
 * Minimum-cost assignment of rows to columns: the Hungarian method with potentials and shortest
 * augmenting paths (the Jonker-Volgenant formulation), O(n^3) on an n x n matrix. Infeasible pairs
 * are any non-finite cost ({@link Double#POSITIVE_INFINITY}, NaN). An instance keeps its working
 * arrays from call to call, so a tracker's frame allocates nothing here; not thread-safe.
 */
public final class LinearAssignment {

  /** Marks a row or column left without a partner. */
  public static final int UNASSIGNED = -1;

  private int[] result = new int[8];
  private boolean[] allowed = new boolean[64];
  private int[] rowGroup = new int[8];
  private int[] colGroup = new int[8];
  private int[] pending = new int[8];
  private int[] groupRows = new int[8];
  private int[] groupCols = new int[8];
  private final SquareAssignment square = new SquareAssignment();

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
    CostMatrix m = CostMatrix.of(cost);
    return Arrays.copyOf(new LinearAssignment().match(m, 2 * spread + 1, false), m.rows());
  }

  /**
   * Assigns rows to columns at cost at most {@code costLimit}, minimising the matched cost plus
   * {@code costLimit / 2} for every unmatched row and column (the {@code lapjv} cost-limit rule
   * ByteTrack uses: a pair is worth matching only if it costs less than leaving both sides alone).
   *
   * @return for each row its column, or {@link #UNASSIGNED}
   */
  public static int[] match(double[][] cost, double costLimit) {
    CostMatrix m = CostMatrix.of(cost);
    return Arrays.copyOf(new LinearAssignment().match(m, costLimit), m.rows());
  }

  /**
   * {@link #match(double[][], double)} on a reused matrix.
   *
   * @return for each row its column, or {@link #UNASSIGNED}, in an array this instance reuses at
   *     its next call (entries past the matrix's rows mean nothing)
   */
  public int[] match(CostMatrix cost, double costLimit) {
    return match(cost, costLimit, true);
  }

  private int[] match(CostMatrix cost, double costLimit, boolean capAtLimit) {
    int rows = cost.rows();
    int cols = cost.cols();
    if (result.length < rows) {
      result = new int[Math.max(rows, 2 * result.length)];
    }
    Arrays.fill(result, 0, rows, UNASSIGNED);
    if (rows == 0 || cols == 0) {
      return result;
    }
    if (!(costLimit >= 0) || Double.isInfinite(costLimit)) {
      throw new IllegalArgumentException("cost limit must be finite and >= 0, got " + costLimit);
    }
    grow(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double c = cost.get(i, j);
        allowed[i * cols + j] = feasible(c) && (!capAtLimit || c <= costLimit);
      }
    }
    // The objective splits over groups of rows and columns linked by allowed pairs; on a road most
    // tracks overlap one or two detections, so each group is tiny and solved on its own.
    Arrays.fill(rowGroup, 0, rows, -1);
    Arrays.fill(colGroup, 0, cols, -1);
    int groups = 0;
    for (int start = 0; start < rows; start++) {
      if (rowGroup[start] >= 0) {
        continue;
      }
      int g = groups++;
      int head = 0;
      int tail = 0;
      rowGroup[start] = g;
      pending[tail++] = start;
      int nRows = 0;
      int nCols = 0;
      while (head < tail) {
        int i = pending[head++];
        groupRows[nRows++] = i;
        for (int j = 0; j < cols; j++) {
          if (allowed[i * cols + j] && colGroup[j] < 0) {
            colGroup[j] = g;
            groupCols[nCols++] = j;
            for (int k = 0; k < rows; k++) {
              if (allowed[k * cols + j] && rowGroup[k] < 0) {
                rowGroup[k] = g;
                pending[tail++] = k;
              }
            }
          }
        }
      }
      if (nCols > 0) {
        solveGroup(cost, nRows, nCols, costLimit / 2);
      }
    }
    return result;
  }

  /** Solves one group on its square extension: each row and column may pair with its own dummy. */
  private void solveGroup(CostMatrix cost, int rows, int cols, double half) {
    int n = rows + cols;
    int stride = cost.cols();
    double[] ext = square.reset(n);
    Arrays.fill(ext, 0, n * n, Double.POSITIVE_INFINITY);
    for (int i = 0; i < rows; i++) {
      int r = groupRows[i];
      for (int j = 0; j < cols; j++) {
        int c = groupCols[j];
        if (allowed[r * stride + c]) {
          ext[i * n + j] = cost.get(r, c);
        }
      }
      ext[i * n + cols + i] = half;
    }
    for (int j = 0; j < cols; j++) {
      ext[(rows + j) * n + j] = half;
      for (int k = 0; k < rows; k++) {
        ext[(rows + j) * n + cols + k] = 0;
      }
    }
    int[] rowToCol = square.solve();
    for (int i = 0; i < rows; i++) {
      if (rowToCol[i] < cols) {
        result[groupRows[i]] = groupCols[rowToCol[i]];
      }
    }
  }

  private void grow(int rows, int cols) {
    if (allowed.length < rows * cols) {
      allowed = new boolean[Math.max(rows * cols, 2 * allowed.length)];
    }
    if (rowGroup.length < rows) {
      int n = Math.max(rows, 2 * rowGroup.length);
      rowGroup = new int[n];
      pending = new int[n];
      groupRows = new int[n];
    }
    if (colGroup.length < cols) {
      int n = Math.max(cols, 2 * colGroup.length);
      colGroup = new int[n];
      groupCols = new int[n];
    }
  }

  private static boolean feasible(double c) {
    return Double.isFinite(c);
  }
}
