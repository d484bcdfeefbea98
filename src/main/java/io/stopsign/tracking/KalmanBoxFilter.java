package io.stopsign.tracking;

/**
 * Constant-velocity Kalman filter of one box, state (cx, cy, aspect = w/h, h) and their velocities,
 * with the noise model of DeepSORT/ByteTrack (deviations proportional to the box height). Time
 * steps are seconds, so a frame that came late or after dropped frames predicts further; the
 * per-frame noise of the reference model is scaled by the number of nominal frame periods elapsed.
 * Velocities are per second.
 */
public final class KalmanBoxFilter {
  static final double STD_WEIGHT_POSITION = 1.0 / 20;
  static final double STD_WEIGHT_VELOCITY = 1.0 / 160;
  private static final int DIM = 8;

  private final double fps;
  private final double[] mean = new double[DIM];
  private final double[][] cov = new double[DIM][DIM];
  // scratch of update(), kept so that a frame's step allocates nothing
  private final double[][] s = new double[4][4];
  private final double[][] work = new double[4][8];
  private final double[][] sInv = new double[4][4];
  private final double[][] gain = new double[DIM][4];
  private final double[][] next = new double[DIM][DIM];
  private final double[] innovation = new double[4];

  /**
   * Starts a filter at a first measurement with unknown (zero, uncertain) velocity.
   *
   * @param nominalFps the frame rate the reference per-frame noise weights are meant for
   */
  public KalmanBoxFilter(double cx, double cy, double aspect, double height, double nominalFps) {
    if (!(nominalFps > 0)) {
      throw new IllegalArgumentException("nominal fps must be > 0, got " + nominalFps);
    }
    this.fps = nominalFps;
    mean[0] = cx;
    mean[1] = cy;
    mean[2] = aspect;
    mean[3] = height;
    double h = scale(height);
    double[] std = {
      2 * STD_WEIGHT_POSITION * h,
      2 * STD_WEIGHT_POSITION * h,
      1e-2,
      2 * STD_WEIGHT_POSITION * h,
      10 * STD_WEIGHT_VELOCITY * h * fps,
      10 * STD_WEIGHT_VELOCITY * h * fps,
      1e-5 * fps,
      10 * STD_WEIGHT_VELOCITY * h * fps
    };
    for (int i = 0; i < DIM; i++) {
      cov[i][i] = std[i] * std[i];
    }
  }

  /** Moves the state {@code dt} seconds ahead; a non-positive {@code dt} changes nothing. */
  public void predict(double dt) {
    if (!(dt > 0)) {
      return;
    }
    double steps = dt * fps;
    double h = scale(mean[3]);
    for (int i = 0; i < 4; i++) {
      mean[i] += dt * mean[i + 4];
    }
    // P = F P F^T + Q with F = [[I, dt I], [0, I]], done in place block by block.
    for (int c = 0; c < DIM; c++) {
      for (int r = 0; r < 4; r++) {
        cov[r][c] += dt * cov[r + 4][c];
      }
    }
    for (int r = 0; r < DIM; r++) {
      for (int c = 0; c < 4; c++) {
        cov[r][c] += dt * cov[r][c + 4];
      }
    }
    for (int i = 0; i < DIM; i++) {
      double q = processDeviation(i, h);
      cov[i][i] += q * q * steps;
    }
  }

  /** The reference model's per-frame process noise deviation of state component {@code i}. */
  private double processDeviation(int i, double h) {
    return switch (i) {
      case 0, 1, 3 -> STD_WEIGHT_POSITION * h;
      case 2 -> 1e-2;
      case 6 -> 1e-5 * fps;
      default -> STD_WEIGHT_VELOCITY * h * fps;
    };
  }

  /** Corrects the state with a measured box (cx, cy, aspect, h). */
  public void update(double cx, double cy, double aspect, double height) {
    double h = scale(mean[3]);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        s[i][j] = cov[i][j];
      }
      double r = i == 2 ? 1e-1 : STD_WEIGHT_POSITION * h;
      s[i][i] += r * r;
    }
    invert4(s, work, sInv);
    // Gain K = P H^T S^-1, where P H^T is the first four columns of P.
    for (int i = 0; i < DIM; i++) {
      for (int j = 0; j < 4; j++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += cov[i][k] * sInv[k][j];
        }
        gain[i][j] = sum;
      }
    }
    innovation[0] = cx - mean[0];
    innovation[1] = cy - mean[1];
    innovation[2] = aspect - mean[2];
    innovation[3] = height - mean[3];
    for (int i = 0; i < DIM; i++) {
      for (int k = 0; k < 4; k++) {
        mean[i] += gain[i][k] * innovation[k];
      }
    }
    // P -= K S K^T, which equals K (P H^T)^T; computed from the old P before writing.
    for (int i = 0; i < DIM; i++) {
      for (int j = 0; j < DIM; j++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += gain[i][k] * cov[j][k];
        }
        next[i][j] = cov[i][j] - sum;
      }
    }
    for (int i = 0; i < DIM; i++) {
      for (int j = 0; j < DIM; j++) {
        cov[i][j] = (next[i][j] + next[j][i]) / 2;
      }
    }
  }

  /** Forgets the height velocity, as ByteTrack does for a track it has lost sight of. */
  public void holdHeight() {
    mean[7] = 0;
  }

  public double cx() {
    return mean[0];
  }

  public double cy() {
    return mean[1];
  }

  public double aspect() {
    return mean[2];
  }

  public double height() {
    return mean[3];
  }

  public double width() {
    return mean[2] * mean[3];
  }

  /** Velocity of the centre, pixels per second. */
  public double vx() {
    return mean[4];
  }

  public double vy() {
    return mean[5];
  }

  /** Variance of one state component (0..7), for tests and diagnostics. */
  public double variance(int component) {
    return cov[component][component];
  }

  private static double scale(double height) {
    // A collapsed height would zero the noise and freeze the filter.
    return Math.max(Math.abs(height), 1.0);
  }

  /**
   * Inverse of a symmetric positive-definite 4x4 matrix by Gauss-Jordan with partial pivoting, into
   * {@code inv}; {@code a} is 4x8 scratch (its rows get swapped).
   */
  private static void invert4(double[][] m, double[][] a, double[][] inv) {
    int n = 4;
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(a[i], 0);
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      double p = a[col][col];
      if (p == 0 || !Double.isFinite(p)) {
        throw new ArithmeticException("singular innovation covariance");
      }
      for (int c = 0; c < 2 * n; c++) {
        a[col][c] /= p;
      }
      for (int r = 0; r < n; r++) {
        if (r != col && a[r][col] != 0) {
          double f = a[r][col];
          for (int c = 0; c < 2 * n; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
  }
}
