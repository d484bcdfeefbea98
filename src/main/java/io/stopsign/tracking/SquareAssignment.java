package io.stopsign.tracking;

import java.util.Arrays;

/**
 * Shortest-augmenting-path Hungarian on a square n x n matrix (row-major in {@link #reset}'s array)
 * that has at least one finite perfect matching; its working arrays are kept for the next call.
 */
final class SquareAssignment {
  private int n;
  private double[] a = new double[64];
  // 1-based potentials and matching, column 0 is the virtual start of each augmenting path
  private double[] u = new double[9];
  private double[] v = new double[9];
  private double[] minv = new double[9];
  private int[] colOwner = new int[9];
  private int[] way = new int[9];
  private boolean[] used = new boolean[9];
  private int[] rowToCol = new int[8];

  /** The n x n matrix to fill before {@link #solve()}. */
  double[] reset(int size) {
    n = size;
    if (a.length < n * n) {
      a = new double[Math.max(n * n, 2 * a.length)];
    }
    if (u.length < n + 1) {
      int m = Math.max(n + 1, 2 * u.length);
      u = new double[m];
      v = new double[m];
      minv = new double[m];
      colOwner = new int[m];
      way = new int[m];
      used = new boolean[m];
      rowToCol = new int[m];
    }
    return a;
  }

  /** The column of each row, in an array reused by the next call. */
  int[] solve() {
    Arrays.fill(u, 0, n + 1, 0);
    Arrays.fill(v, 0, n + 1, 0);
    Arrays.fill(colOwner, 0, n + 1, 0);
    Arrays.fill(way, 0, n + 1, 0);
    for (int i = 1; i <= n; i++) {
      colOwner[0] = i;
      int j0 = 0;
      Arrays.fill(minv, 0, n + 1, Double.POSITIVE_INFINITY);
      Arrays.fill(used, 0, n + 1, false);
      do {
        used[j0] = true;
        int i0 = colOwner[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double cur = a[(i0 - 1) * n + j - 1] - u[i0] - v[j];
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
    for (int j = 1; j <= n; j++) {
      rowToCol[colOwner[j] - 1] = j - 1;
    }
    return rowToCol;
  }
}
