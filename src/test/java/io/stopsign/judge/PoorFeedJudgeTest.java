package io.stopsign.judge;

import static io.stopsign.judge.JudgeHarness.y;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Judging generated trajectories filmed by poor feeds")
class PoorFeedJudgeTest {
  private static final double[] FPS = {5, 10, 30};
  private static final int PER_KIND_AND_FPS = 26;
  private static final JudgeGeometry JUDGE_ZONE = JudgeGeometry.of(JudgeHarness.scene());
  private static final List<String> OUTCOMES =
      List.of("full", "rolling", "none", "rejected", "no pass", "2+ passes");

  /** Kinds of driving, each with the verdicts that are right for it. */
  private enum Kind {
    FULL_STOP("full"),
    ROLLING_STOP("rolling"),
    CRUISE("none"),
    FAST_CROSSING("none"),
    STOP_BEFORE_ZONE("none"),
    PARKED("no pass", "rejected"),
    WRONG_WAY("rejected");

    final List<String> right;

    Kind(String... right) {
      this.right = List.of(right);
    }
  }

  private static double between(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** A run of {@code kind} through the test scene (zone rows 400-500, pre-stop line at 350). */
  static TrajectorySimulator run(Kind kind, Random r) {
    double v0 = between(r, 100, 200);
    return switch (kind) {
      case FULL_STOP -> {
        double at = between(r, 425, 480);
        yield TrajectorySimulator.down(640, 100)
            .cruise(v0, y(at - between(r, 60, 120)))
            .brakeTo(0, y(at))
            .stop(between(r, 2.2, 5))
            .accelerate(between(r, 60, 150), 150, y(800));
      }
      case ROLLING_STOP -> {
        double at = between(r, 420, 465);
        yield TrajectorySimulator.down(640, 100)
            .cruise(v0, y(at - between(r, 60, 120)))
            .brakeTo(between(r, 18, 35), y(at))
            .accelerate(between(r, 30, 60), 150, y(800));
      }
      case CRUISE -> TrajectorySimulator.down(640, 100).cruise(between(r, 60, 300), y(800));
      case FAST_CROSSING -> // seen on a long approach: the occlusion may hide 560 px of it
          TrajectorySimulator.down(640, -500).cruise(between(r, 300, 700), 1600);
      case STOP_BEFORE_ZONE -> {
        double at = between(r, 290, 345);
        yield TrajectorySimulator.down(640, 100)
            .cruise(v0, y(at - 80))
            .brakeTo(0, y(at))
            .stop(between(r, 1, 3))
            .accelerate(between(r, 100, 200), 200, y(800));
      }
      case PARKED -> {
        boolean drivesOff = r.nextBoolean();
        double at = drivesOff ? between(r, 410, 490) : between(r, 385, 515);
        TrajectorySimulator sim =
            new TrajectorySimulator(30, 640, at, 640, at + 1000).stop(between(r, 35, 45));
        yield drivesOff ? sim.accelerate(80, 150, 400) : sim;
      }
      case WRONG_WAY -> {
        TrajectorySimulator sim = new TrajectorySimulator(30, 640, 800, 640, -200);
        double speed = between(r, 80, 250);
        yield r.nextBoolean()
            ? sim.cruise(speed, 800)
            : sim.cruise(speed, 300)
                .brakeTo(0, 350)
                .stop(between(r, 2, 3))
                .accelerate(100, 150, 800);
      }
    };
  }

  /** What the live judge made of one track: its verdict, or no pass, or too many; its one pass. */
  private record Outcome(String label, PassEvent pass) {}

  private static Outcome judged(List<Sample> samples, StringBuilder why) {
    List<CameraJudge.CompletedPass> passes =
        JudgeHarness.live(JudgeHarness.scene(), samples).of(1L);
    if (passes.size() != 1) {
      passes.forEach(p -> why.append(p.pass().reason()).append("; "));
      why.append("whole track: ")
          .append(new PassScorer(JudgeGeometry.of(JudgeHarness.scene())).score(samples).reason());
      samples.forEach(
          s ->
              why.append(
                  String.format(
                      Locale.ROOT, " %.2f:%.0f", s.t() - TrajectorySimulator.T0, s.groundY())));
      return new Outcome(passes.isEmpty() ? "no pass" : "2+ passes", null);
    }
    PassEvent pass = passes.get(0).pass();
    why.append(pass.reason());
    PassScore again =
        new PassScorer(JudgeGeometry.of(JudgeHarness.scene())).score(pass.trajectory());
    assertThat(again.verdict()).as("re-score of the stored trajectory").isEqualTo(pass.verdict());
    return new Outcome(pass.verdict().wire(), pass);
  }

  @Test
  @DisplayName(
      "Full, rolling, none, parked and wrong-way runs at 5, 10 and 30 fps with jitter, missing"
          + " samples, uneven spacing and an occlusion: >= 98 % right over 546 runs")
  void verdictsOnPoorFeeds() {
    Map<String, int[]> confusion = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    int total = 0;
    int right = 0;
    int quick = 0;
    double maxMedianStopError = 0;
    StringBuilder perFps = new StringBuilder();
    for (double fps : FPS) {
      int fpsTotal = 0;
      int fpsRight = 0;
      List<Double> stopErrors = new ArrayList<>();
      for (Kind kind : Kind.values()) {
        for (int i = 0; i < PER_KIND_AND_FPS; i++) {
          long seed = (long) fps * 100_000 + kind.ordinal() * 1000 + i;
          Random r = new Random(seed);
          TrajectorySimulator sim = run(kind, r);
          PoorFeed feed = PoorFeed.random(fps, r);
          StringBuilder why = new StringBuilder();
          List<Sample> samples = feed.film(sim);
          if (samples.stream().filter(JUDGE_ZONE::inZone).count() <= 1) {
            quick++;
          }
          Outcome outcome = judged(samples, why);
          String got = outcome.label();
          if (kind == Kind.FULL_STOP && outcome.pass() != null) {
            double clean = new PassScorer(JUDGE_ZONE).score(sim.samples()).stopDuration();
            stopErrors.add(Math.abs(outcome.pass().stopDuration() - clean));
          }
          confusion
              .computeIfAbsent(kind.name(), k -> new int[OUTCOMES.size()])[OUTCOMES.indexOf(got)]++;
          fpsTotal++;
          if (kind.right.contains(got)) {
            fpsRight++;
          } else {
            failures.add(
                String.format(Locale.ROOT, "seed %d %s %s -> %s: %s", seed, kind, feed, got, why));
          }
        }
      }
      perFps.append(
          String.format(
              Locale.ROOT,
              "%2.0f fps: %d/%d right (%.1f %%), full stops' stop duration off by %.2f s median,"
                  + " %.2f s at most from the clean 30 fps feed%n",
              fps,
              fpsRight,
              fpsTotal,
              100.0 * fpsRight / fpsTotal,
              PassMeasures.percentile(stopErrors.stream().mapToDouble(d -> d).toArray(), 50),
              stopErrors.stream().mapToDouble(d -> d).max().orElse(0)));
      maxMedianStopError =
          Math.max(
              maxMedianStopError,
              PassMeasures.percentile(stopErrors.stream().mapToDouble(d -> d).toArray(), 50));
      total += fpsTotal;
      right += fpsRight;
    }
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-17s", "truth \\ judged"));
    OUTCOMES.forEach(o -> table.append(String.format(Locale.ROOT, "%10s", o)));
    confusion.forEach(
        (kind, row) -> {
          table.append(String.format(Locale.ROOT, "%n%-17s", kind));
          for (int n : row) {
            table.append(String.format(Locale.ROOT, "%10d", n));
          }
        });
    System.out.printf(
        "Poor-feed verdicts, confusion matrix:%n%s%n%s%d right of %d (%.1f %%); %d runs seen at"
            + " most once inside the zone%n%s%n",
        table, perFps, right, total, 100.0 * right / total, quick, String.join("\n", failures));
    assertThat(total).isGreaterThanOrEqualTo(500);
    assertThat(quick)
        .as("runs crossing the zone between two or three observations")
        .isGreaterThan(40);
    assertThat((double) right / total).as("share of right verdicts").isGreaterThanOrEqualTo(0.98);
    assertThat(maxMedianStopError).as("median error of the stop duration").isLessThan(0.4);
  }
}
