package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stopsign.camera.GroundCalibration;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A pinhole camera 6 m above a flat road looking along it (focal 1000 px, horizon at row 200): a
 * ground point X m to the side and Z m ahead is at column 640 + 1000 X / Z, row 200 + 6000 / Z.
 */
@DisplayName("Ground calibration turns pixel motion into metres per second")
class CalibrationTest {
  private static final double FPS = 30;

  static double[] image(double x, double z) {
    return new double[] {640 + 1000 * x / z, 200 + 6000 / z};
  }

  static JsonObject calibration() {
    JsonArray img = new JsonArray();
    JsonArray world = new JsonArray();
    for (double[] w : new double[][] {{-2, 15}, {2, 15}, {2, 40}, {-2, 40}}) {
      double[] p = image(w[0], w[1]);
      img.add(new JsonArray().add(p[0]).add(p[1]));
      world.add(new JsonArray().add(w[0]).add(w[1]));
    }
    return new JsonObject().put("image", img).put("world", world);
  }

  /** Zone between 16 m and 22 m ahead, 4 m wide; pre-stop line at 25 m. */
  static JudgeConfig calibrated(JsonObject thresholds) {
    double[] a = image(-2, 22);
    double[] b = image(2, 22);
    double[] c = image(2, 16);
    double[] d = image(-2, 16);
    double[] g1 = image(-2, 25);
    double[] g2 = image(2, 25);
    JsonObject json =
        new JsonObject()
            .put("stop_zone", GroundCalibration.points(List.of(a, b, c, d)))
            .put("pre_stop_line", GroundCalibration.points(List.of(g1, g2)))
            .put("calibration", calibration());
    if (thresholds != null) {
      json.put("thresholds", thresholds);
    }
    return JudgeConfig.fromJson(json);
  }

  /** A car 1.5 m wide boxes, driving towards the camera at lateral offset 0.5 m. */
  static List<Sample> drive(double[] zByFrame, double jitter, long seed) {
    Random random = new Random(seed);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < zByFrame.length; i++) {
      double z = zByFrame[i];
      double[] p = image(0.5, z);
      double halfWidth = 1000 * 0.9 / z;
      double height = 1000 * 1.5 / z;
      out.add(
          new Sample(
              TrajectorySimulator.T0 + i / FPS,
              p[0] - halfWidth + random.nextGaussian() * jitter,
              p[1] - height + random.nextGaussian() * jitter,
              p[0] + halfWidth + random.nextGaussian() * jitter,
              p[1] + random.nextGaussian() * jitter));
    }
    return out;
  }

  @Test
  @DisplayName("The homography maps the calibration points onto their metres")
  void homography() {
    GroundCalibration c = calibrated(null).calibration();
    double[] g = c.toGround(image(1.3, 27)[0], image(1.3, 27)[1]);
    assertThat(g[0]).isCloseTo(1.3, within(1e-6));
    assertThat(g[1]).isCloseTo(27, within(1e-6));
    assertThat(c.toGround(640, 150)).as("above the horizon").isNull();
  }

  @Test
  @DisplayName(
      "A car at a constant 10 m/s is measured within 5 %, at every frame and at zone entry")
  void constantSpeed() {
    double speed = 10;
    int frames = (int) (38 / speed * FPS);
    double[] z = new double[frames];
    for (int i = 0; i < frames; i++) {
      z[i] = 50 - speed * i / FPS;
    }
    List<Sample> samples = drive(z, 0.7, 3);
    JudgeConfig config = calibrated(null);
    TrackKinematics k = new TrackKinematics(config.thresholds());
    JudgeGeometry geometry = JudgeGeometry.of(config);
    List<Double> speeds = new ArrayList<>();
    List<Double> nearSpeeds = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      k.update(s.t(), s.groundX(), s.groundY(), geometry.ground(s));
      if (s.t() - samples.get(0).t() > 0.5) {
        speeds.add(k.speed());
        if (z[i] < 30) {
          nearSpeeds.add(k.speed());
        }
      }
    }
    double[] sorted = speeds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    assertThat(sorted[sorted.length / 2]).as("median speed").isCloseTo(speed, within(speed * 0.05));
    // in the near field, where stop zones are, every frame is within 5 %
    assertThat(nearSpeeds)
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v).isCloseTo(speed, within(speed * 0.05)));
    PassEvent pass = JudgeHarness.live(config, samples).of(1L).get(0).pass();
    assertThat(pass.speedUnit()).isEqualTo("m/s");
    assertThat(pass.entrySpeed()).isCloseTo(speed, within(speed * 0.05));
    assertThat(pass.timeInZone()).isCloseTo(6 / speed, within(0.05));
    assertThat(pass.verdict()).isEqualTo(Verdict.NONE);
    assertThat(Arrays.stream(sorted).filter(v -> Math.abs(v - speed) > speed * 0.05).count())
        .as("frames off by more than 5 %% out of %d", sorted.length)
        .isLessThan(sorted.length / 5);
  }

  @Test
  @DisplayName("With a calibration the thresholds are in m/s: a stop below 0.5 m/s is a full stop")
  void stopInMetres() {
    List<Double> zs = new ArrayList<>();
    double z = 45;
    double v = 8;
    while (z > 19) { // brake evenly from 8 m/s to a stop at 19 m
      zs.add(z);
      double a = v * v / (2 * (z - 19));
      v = Math.max(0, v - a / FPS);
      z -= v / FPS;
      if (v < 0.05) {
        break;
      }
    }
    for (int i = 0; i < 2.5 * FPS; i++) {
      zs.add(z);
    }
    v = 0;
    while (z > 11) {
      v = Math.min(8, v + 3 / FPS);
      z -= v / FPS;
      zs.add(z);
    }
    List<Sample> samples = drive(zs.stream().mapToDouble(Double::doubleValue).toArray(), 0.5, 5);
    PassEvent pass = JudgeHarness.live(calibrated(null), samples).of(1L).get(0).pass();
    assertThat(pass.verdict()).as(pass.reason()).isEqualTo(Verdict.FULL);
    assertThat(pass.minSpeed()).isLessThan(0.5);
    PassEvent strict =
        JudgeHarness.live(calibrated(new JsonObject().put("full_min_stop_duration", 4)), samples)
            .of(1L)
            .get(0)
            .pass();
    assertThat(strict.verdict()).isEqualTo(Verdict.ROLLING);
  }
}
