package io.stopsign.bench;

import io.micrometer.core.instrument.Counter;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.config.ConfigReader;
import io.stopsign.decode.DecodeVerticle;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.inference.ModelConfig;
import io.stopsign.ops.Meters;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * P7: how many 5-fps cameras this machine analyses, each at >= 0.95 of its frames. N cameras run as
 * the service deploys them (decode, inference with its own detector, tracking) on a 1280x720 test
 * pattern at 5 fps; N doubles until a camera falls below 0.95, then bisects. The test pattern has
 * no H.264 to decode (a real 720p camera adds about 4 CPU ms per frame, P1's decode line).
 */
final class CamerasPerBox {
  static final String SOURCE = "testpattern?size=1280x720&rate=5";
  static final double TARGET = 0.95;

  /** The largest count that held, with the trials in the detail. */
  static Repeated.Run run(ModelConfig model, int max, double seconds, PrintStream out)
      throws Exception {
    int good = 0;
    int bad = max + 1;
    List<String> trials = new ArrayList<>();
    for (int n = 1; n <= max; n = n == max ? max + 1 : Math.min(max, n * 2)) {
      if (!trial(model, n, seconds, out, trials)) {
        bad = n;
        break;
      }
      good = n;
    }
    while (bad - good > 1) {
      int mid = (good + bad) / 2;
      if (trial(model, mid, seconds, out, trials)) {
        good = mid;
      } else {
        bad = mid;
      }
    }
    return new Repeated.Run(
        good,
        "5-fps 1280x720 test pattern, up to "
            + max
            + " cameras; worst camera's share by count: "
            + String.join(", ", trials));
  }

  private static boolean trial(
      ModelConfig model, int n, double seconds, PrintStream out, List<String> trials)
      throws Exception {
    double worst = worstShare(model, n, seconds);
    out.printf("  %3d cameras: worst camera analysed %.3f of its frames%n", n, worst);
    trials.add(String.format("%d: %.3f", n, worst));
    return worst >= TARGET;
  }

  /** Runs {@code n} cameras; the smallest share of its frames a camera's detector ran on. */
  private static double worstShare(ModelConfig model, int n, double seconds) throws Exception {
    Vertx vertx = Vertx.vertx();
    Path dataDir = Files.createTempDirectory("stopsign-box");
    List<String> cameras = new ArrayList<>();
    try {
      Codecs.register(vertx.eventBus());
      JudgeConfig judge = JudgeConfig.from(ConfigReader.of("camera", Map.of()));
      for (int i = 0; i < n; i++) {
        String id = "box" + n + "-" + i;
        cameras.add(id);
        CameraConfig camera =
            CameraConfig.from(ConfigReader.of("camera", Map.of("id", id, "source", SOURCE)));
        Detector detector = Detectors.open(model);
        Throughput.await(
            vertx.deployVerticle(new TrackingVerticle(id, judge, 8)).toCompletionStage());
        Throughput.await(
            vertx.deployVerticle(new InferenceVerticle(id, detector, 2, 1)).toCompletionStage());
        Throughput.await(
            vertx
                .deployVerticle(new DecodeVerticle(camera, detector.input(), dataDir, false, "box"))
                .toCompletionStage());
      }
      Thread.sleep(Math.min(3_000, (long) (seconds * 500))); // warm-up: JIT, first frames
      double[][] start = counts(cameras);
      Thread.sleep((long) (seconds * 1000));
      double[][] end = counts(cameras);
      double worst = 1;
      for (int i = 0; i < n; i++) {
        double frames = end[i][0] - start[i][0];
        double inferred = end[i][1] - start[i][1];
        worst = Math.min(worst, frames <= 0 ? 0 : Math.min(1, inferred / frames));
      }
      return worst;
    } finally {
      Throughput.await(vertx.close().toCompletionStage());
      try (var files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Per camera: frames decoded (scaled or skipped), frames inferred. */
  private static double[][] counts(List<String> cameras) {
    double[][] out = new double[cameras.size()][];
    for (int i = 0; i < cameras.size(); i++) {
      String id = cameras.get(i);
      out[i] =
          new double[] {
            count("stopsign_frames_decoded", id) + count("stopsign_frames_skipped", id),
            count("stopsign_frames_inferred", id)
          };
    }
    return out;
  }

  private static double count(String name, String camera) {
    Counter c = Meters.registry().find(name).tag("camera", camera).counter();
    return c == null ? 0 : c.count();
  }

  private CamerasPerBox() {}
}
