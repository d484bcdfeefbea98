package io.stopsign.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.stopsign.media.Frame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * ONNX Runtime's own profile of an ONNX detector on a real frame, its kernel time summed per
 * operator type (as ORT names the kernel after its graph optimisations).
 *
 * @param runs the profiled runs after warm-up
 * @param ops per operator type, time and node count per run, largest time first
 */
record OnnxOpProfile(int runs, Map<String, OpTime> ops) {
  /** ORT's first runs allocate its buffers; they are left out. */
  private static final int WARM_UP = 2;

  /** One operator type's kernel time and node count per run. */
  record OpTime(double ms, int nodes) {}

  /**
   * Opens the model with the service's session options plus ORT's profiler, detects {@code image}
   * {@code runs} times after warm-up, and reads the profile ORT writes into {@code dir} on close.
   */
  static OnnxOpProfile detect(ModelConfig config, BufferedImage image, int runs, Path dir) {
    OrtSession.SessionOptions options = OnnxEngine.sessionOptions(config.threads());
    try {
      options.enableProfiling(dir.resolve("ort").toString());
    } catch (OrtException e) {
      options.close();
      throw new IllegalStateException(e);
    }
    try (Detector detector =
        Detectors.over(OnnxEngine.open(Path.of(config.path()), options), config)) {
      Frame frame = TestFrames.frame(image, detector.input());
      for (int i = 0; i < WARM_UP - 1 + runs; i++) {
        detector.detect(frame);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
      if (json.size() != 1) {
        throw new IllegalStateException("expected one ORT profile in " + dir + ", found " + json);
      }
      return read(new JsonArray(Files.readString(json.get(0))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sums the kernel events of the runs after warm-up (ORT's trace format: µs, one per node). */
  static OnnxOpProfile read(JsonArray trace) {
    List<Long> runStarts = new ArrayList<>();
    for (Object e : trace) {
      if (e instanceof JsonObject o && "model_run".equals(o.getString("name"))) {
        runStarts.add(o.getLong("ts"));
      }
    }
    runStarts.sort(Comparator.naturalOrder());
    if (runStarts.size() <= WARM_UP) {
      throw new IllegalStateException("the profile holds " + runStarts.size() + " runs");
    }
    long from = runStarts.get(WARM_UP);
    int runs = runStarts.size() - WARM_UP;
    Map<String, long[]> sums = new LinkedHashMap<>();
    for (Object e : trace) {
      if (e instanceof JsonObject o
          && "Node".equals(o.getString("cat"))
          && o.getString("name", "").endsWith("_kernel_time")
          && o.getLong("ts") >= from) {
        long[] sum =
            sums.computeIfAbsent(o.getJsonObject("args").getString("op_name"), k -> new long[2]);
        sum[0] += o.getLong("dur");
        sum[1]++;
      }
    }
    Map<String, OpTime> ops =
        sums.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    s ->
                        new OpTime(s.getValue()[0] / 1000.0 / runs, (int) (s.getValue()[1] / runs)),
                    (a, b) -> a,
                    LinkedHashMap::new));
    return new OnnxOpProfile(runs, ops);
  }

  double totalMs() {
    return ops.values().stream().mapToDouble(OpTime::ms).sum();
  }

  /** One line: each op type's share of the kernel time, its ms a run and its node count. */
  String table() {
    double total = totalMs();
    return String.format(Locale.ROOT, "%.1f ms of kernels a run (%d runs): ", total, runs)
        + ops.entrySet().stream()
            .map(
                e ->
                    String.format(
                        Locale.ROOT,
                        "%s %.1f%% (%.1f ms, %d nodes)",
                        e.getKey(),
                        100 * e.getValue().ms() / total,
                        e.getValue().ms(),
                        e.getValue().nodes()))
            .collect(Collectors.joining(", "));
  }
}
