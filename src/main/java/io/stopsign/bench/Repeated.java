package io.stopsign.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One figure over repeated runs: the median with its spread (min-max), and which runs the machine
 * was busy in. Prints one line that starts with the figure's name and ends with its target.
 */
final class Repeated {
  /** One run of a figure: its value and a few words of detail. */
  record Run(double value, String detail) {}

  /** A run that can fail: the figure's body. */
  interface Body {
    Run run(int index) throws Exception;
  }

  private final String name;
  private final List<Double> values = new ArrayList<>();
  private final List<String> busy = new ArrayList<>();
  private String detail = "";

  Repeated(String name) {
    this.name = name;
  }

  /** Adds one run taken under {@code load}. */
  void add(Run run, LoadWatch.Load load) {
    values.add(run.value());
    detail = run.detail();
    if (load.busy()) {
      busy.add("run " + values.size() + ": " + load);
    }
  }

  /** Runs {@code body} {@code runs} times, each under a {@link LoadWatch}. */
  static Repeated of(String name, int runs, Body body) throws Exception {
    Repeated figure = new Repeated(name);
    for (int i = 0; i < runs; i++) {
      LoadWatch watch = new LoadWatch();
      Run run = body.run(i);
      figure.add(run, watch.stop());
    }
    return figure;
  }

  double median() {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /**
   * {@code NAME label = median (median of n, spread min-max; last run: detail) [BUSY ...] target}.
   */
  void print(PrintStream out, String label, String format, String target) {
    String spread =
        String.format(
            "median of %d, spread " + format + " to " + format, values.size(), min(), max());
    String noisy = busy.isEmpty() ? "quiet" : "BUSY " + String.join("; ", busy);
    out.printf(
        "%s %s = " + format + " (%s; %s) [%s] target %s%n",
        name,
        label,
        median(),
        spread,
        detail,
        noisy,
        target);
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  static double[] sorted(List<Double> samples) {
    double[] v = samples.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v;
  }
}
