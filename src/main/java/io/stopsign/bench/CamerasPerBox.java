package io.stopsign.bench;

import io.micrometer.core.instrument.Counter;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.config.ConfigReader;
import io.stopsign.decode.DecodeVerticle;
import io.stopsign.inference.Detector;
import io.stopsign.inference.InferenceVerticle;
import io.stopsign.ops.Meters;
import io.stopsign.tracking.TrackingVerticle;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * P7: how many 5-fps cameras this machine analyses, each at >= 0.95 of its frames. N cameras run as
 * the service deploys them (decode, inference with its own detector, tracking), each decoding its
 * own copy of a real H.264 stream: the bench clip re-encoded once at 5 fps (OpenH264, 2 Mb/s, a
 * keyframe every 2 s), played in real time and looped; N doubles until a camera falls below 0.95,
 * then bisects.
 */
final class CamerasPerBox {
  static final int FPS = 5;
  static final double TARGET = 0.95;

  /** The largest count that held, with the trials in the detail. */
  static Repeated.Run run(DetectorSetup setup, Path clip, int max, double seconds, PrintStream out)
      throws Exception {
    Path dir = Files.createTempDirectory("stopsign-box-clip");
    try {
      Path camera = fiveFps(clip, dir.resolve("camera-5fps.mp4"));
      return search(setup, camera, max, seconds, out);
    } finally {
      delete(dir);
    }
  }

  /** The clip as a 5-fps H.264 camera would send it, by the bundled ffmpeg executable. */
  static Path fiveFps(Path clip, Path target) throws Exception {
    String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    Process process =
        new ProcessBuilder(
                ffmpeg,
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-i",
                clip.toString(),
                "-an",
                "-vf",
                "fps=" + FPS,
                "-c:v",
                "libopenh264",
                "-b:v",
                "2M",
                "-g",
                Integer.toString(2 * FPS),
                "-y",
                target.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("cannot re-encode " + clip.getFileName() + " at 5 fps: " + output);
    }
    return target;
  }

  private static Repeated.Run search(
      DetectorSetup setup, Path camera, int max, double seconds, PrintStream out) throws Exception {
    int good = 0;
    int bad = max + 1;
    List<String> trials = new ArrayList<>();
    for (int n = 1; n <= max; n = n == max ? max + 1 : Math.min(max, n * 2)) {
      if (!trial(setup, camera, n, seconds, out, trials)) {
        bad = n;
        break;
      }
      good = n;
    }
    while (bad - good > 1) {
      int mid = (good + bad) / 2;
      if (trial(setup, camera, mid, seconds, out, trials)) {
        good = mid;
      } else {
        bad = mid;
      }
    }
    return new Repeated.Run(
        good,
        "5-fps H.264 clip, "
            + (setup.tiles() ? "auto tiles" : "whole picture")
            + ", up to "
            + max
            + " cameras; worst camera's share by count: "
            + String.join(", ", trials));
  }

  private static boolean trial(
      DetectorSetup setup, Path camera, int n, double seconds, PrintStream out, List<String> trials)
      throws Exception {
    double worst = worstShare(setup, camera, n, seconds);
    out.printf("  %3d cameras: worst camera analysed %.3f of its frames%n", n, worst);
    trials.add(String.format("%d: %.3f", n, worst));
    return worst >= TARGET;
  }

  /** Runs {@code n} cameras; the smallest share of its frames a camera's detector ran on. */
  private static double worstShare(DetectorSetup setup, Path clip, int n, double seconds)
      throws Exception {
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
            CameraConfig.from(
                ConfigReader.of(
                    "camera", Map.of("id", id, "source", clip.toString(), "loop", true)));
        Detector detector = setup.open();
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
      delete(dataDir);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
