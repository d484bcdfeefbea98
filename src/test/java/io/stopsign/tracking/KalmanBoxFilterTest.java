package io.stopsign.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KalmanBoxFilterTest {
  private static final double VX = 150; // px/s
  private static final double VY = -30;

  @Test
  @DisplayName(
      "Exact measurements of a constant-velocity box converge to its position and velocity")
  void convergesOnExactMotion() {
    KalmanBoxFilter f = new KalmanBoxFilter(100, 400, 1.5, 80, 30);
    double initialVariance = f.variance(0);
    double t = 0;
    for (int i = 1; i <= 90; i++) {
      t = i / 30.0;
      f.predict(1 / 30.0);
      f.update(100 + VX * t, 400 + VY * t, 1.5, 80);
    }
    assertThat(f.vx()).isCloseTo(VX, within(VX * 0.02));
    assertThat(f.vy()).isCloseTo(VY, within(1.0));
    assertThat(f.cx()).isCloseTo(100 + VX * t, within(0.5));
    assertThat(f.height()).isCloseTo(80, within(0.1));
    assertThat(f.variance(0)).isLessThan(initialVariance);
  }

  @Test
  @DisplayName("Noisy measurements still give the velocity within a few px/s")
  void convergesOnNoisyMotion() {
    Random noise = new Random(3);
    KalmanBoxFilter f = new KalmanBoxFilter(100, 400, 1.5, 80, 30);
    for (int i = 1; i <= 150; i++) {
      double t = i / 30.0;
      f.predict(1 / 30.0);
      f.update(
          100 + VX * t + noise.nextGaussian() * 2,
          400 + VY * t + noise.nextGaussian() * 2,
          1.5 + noise.nextGaussian() * 0.01,
          80 + noise.nextGaussian() * 2);
    }
    assertThat(f.vx()).isCloseTo(VX, within(10.0));
    assertThat(f.vy()).isCloseTo(VY, within(10.0));
  }

  @Test
  @DisplayName("Irregular time steps (dropped frames) keep the velocity in pixels per second")
  void irregularSteps() {
    Random gaps = new Random(5);
    KalmanBoxFilter f = new KalmanBoxFilter(100, 400, 1.5, 80, 30);
    double t = 0;
    for (int i = 0; i < 60; i++) {
      double dt = (1 + gaps.nextInt(8)) / 30.0;
      t += dt;
      f.predict(dt);
      f.update(100 + VX * t, 400 + VY * t, 1.5, 80);
    }
    assertThat(f.vx()).isCloseTo(VX, within(VX * 0.02));
  }

  @Test
  @DisplayName("Prediction moves the box by velocity x dt and grows its uncertainty with dt")
  void predictionScalesWithTime() {
    KalmanBoxFilter f = new KalmanBoxFilter(100, 400, 1.5, 80, 30);
    for (int i = 1; i <= 60; i++) {
      f.predict(1 / 30.0);
      f.update(100 + VX * i / 30.0, 400 + VY * i / 30.0, 1.5, 80);
    }
    double cx = f.cx();
    double vx = f.vx();
    double varianceBefore = f.variance(0);
    f.predict(0.1);
    double varianceShort = f.variance(0);
    assertThat(f.cx()).isCloseTo(cx + vx * 0.1, within(1e-9));
    f.predict(0.5);
    assertThat(f.cx()).isCloseTo(cx + vx * 0.6, within(1e-9));
    assertThat(varianceShort).isGreaterThan(varianceBefore);
    assertThat(f.variance(0)).isGreaterThan(varianceShort);
    double frozen = f.cx();
    f.predict(0);
    f.predict(-1);
    assertThat(f.cx()).isEqualTo(frozen);
  }

  @Test
  @DisplayName("A measurement pulls the state toward it and shrinks the uncertainty")
  void updateCorrects() {
    KalmanBoxFilter f = new KalmanBoxFilter(100, 100, 1, 50, 30);
    f.predict(1 / 30.0);
    double before = f.variance(0);
    f.update(110, 100, 1, 50);
    assertThat(f.cx()).isBetween(100.0, 110.0);
    assertThat(f.vx()).isPositive();
    assertThat(f.variance(0)).isLessThan(before);
    assertThat(f.width()).isCloseTo(50, within(1e-6));
  }
}
