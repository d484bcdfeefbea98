package io.stopsign.tracking;

import java.util.Arrays;

/**
 * A rows x columns cost matrix in one flat array, refilled frame after frame without allocating.
 */
public final class CostMatrix {
  private double[] cells = new double[64];
  private int rows;
  private int cols;

  /** A copy of {@code cost}, whose rows must all have the same length. */
  public static CostMatrix of(double[][] cost) {
    int cols = cost.length == 0 ? 0 : cost[0].length;
    CostMatrix m = new CostMatrix().reset(cost.length, cols);
    for (int i = 0; i < cost.length; i++) {
      if (cost[i].length != cols) {
        throw new IllegalArgumentException(
            "ragged cost matrix: row " + i + " has " + cost[i].length);
      }
      System.arraycopy(cost[i], 0, m.cells, i * cols, cols);
    }
    return m;
  }

  /** Resizes to {@code rows x cols}; the cells' values are left to the caller to set. */
  CostMatrix reset(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
    if (cells.length < rows * cols) {
      cells = Arrays.copyOf(cells, Math.max(rows * cols, 2 * cells.length));
    }
    return this;
  }

  int rows() {
    return rows;
  }

  int cols() {
    return cols;
  }

  double get(int i, int j) {
    return cells[i * cols + j];
  }

  void set(int i, int j, double cost) {
    cells[i * cols + j] = cost;
  }
}
