package io.stopsign.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * One reading of a camera's meters, and the rates and latency percentiles between two readings.
 * Counter names are accepted with or without the Prometheus {@code _total} suffix.
 */
record MeterReadings(
    long nanos,
    double decoded,
    double inferred,
    double dropped,
    long latencyCount,
    double latencyTotalMs,
    double latencyMaxMs,
    double[] boundsMs,
    double[] cumulative,
    long cpuNanos) {

  static MeterReadings read(MeterRegistry registry, String camera) {
    double[] bounds = new double[0];
    double[] counts = new double[0];
    long count = 0;
    double total = 0;
    double max = 0;
    Timer timer = registry.find("stopsign_inference_latency").tag("camera", camera).timer();
    if (timer != null) {
      HistogramSnapshot snapshot = timer.takeSnapshot();
      CountAtBucket[] buckets = snapshot.histogramCounts();
      bounds = new double[buckets.length];
      counts = new double[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
        counts[i] = buckets[i].count();
      }
      count = snapshot.count();
      total = snapshot.total(TimeUnit.MILLISECONDS);
      max = snapshot.max(TimeUnit.MILLISECONDS);
    }
    double dropped = 0;
    for (Meter m : registry.find("stopsign_queue_dropped").tag("camera", camera).meters()) {
      dropped += count(m);
    }
    return new MeterReadings(
        System.nanoTime(),
        counter(registry, "stopsign_frames_decoded", camera),
        counter(registry, "stopsign_frames_inferred", camera),
        dropped,
        count,
        total,
        max,
        bounds,
        counts,
        ProcessCpu.nanos());
  }

  static double counter(MeterRegistry registry, String name, String camera) {
    double sum = 0;
    for (String n : new String[] {name, name + "_total"}) {
      for (Meter m : registry.find(n).tag("camera", camera).meters()) {
        sum += count(m);
      }
    }
    return sum;
  }

  private static double count(Meter m) {
    if (m instanceof Counter c) {
      return c.count();
    }
    if (m instanceof FunctionCounter f) {
      return f.count();
    }
    return 0;
  }

  double seconds(MeterReadings before) {
    return Math.max(1e-9, (nanos - before.nanos) / 1e9);
  }

  /** CPU cores the process used between the readings (1.5 = one and a half cores busy). */
  double cpuCores(MeterReadings before) {
    if (cpuNanos < 0 || before.cpuNanos < 0) {
      return 0;
    }
    return (cpuNanos - before.cpuNanos) / (double) Math.max(1, nanos - before.nanos);
  }

  /**
   * The q-quantile (0..1) of the latencies recorded between the readings, in ms, interpolated in
   * the histogram buckets; without buckets, the mean (p50) or the max (p95 and up); 0 when none.
   */
  double latencyMs(MeterReadings before, double q) {
    long n = latencyCount - before.latencyCount;
    if (n <= 0) {
      return 0;
    }
    boolean sameBuckets = boundsMs.length > 0 && java.util.Arrays.equals(boundsMs, before.boundsMs);
    if (!sameBuckets) {
      return q <= 0.5 ? (latencyTotalMs - before.latencyTotalMs) / n : latencyMaxMs;
    }
    double target = q * n;
    double lowerBound = 0;
    double lowerCount = 0;
    for (int i = 0; i < boundsMs.length; i++) {
      double c = cumulative[i] - before.cumulative[i];
      if (c >= target) {
        double share = c == lowerCount ? 1 : (target - lowerCount) / (c - lowerCount);
        return lowerBound + (boundsMs[i] - lowerBound) * share;
      }
      lowerBound = boundsMs[i];
      lowerCount = c;
    }
    return Math.max(lowerBound, latencyMaxMs); // above the last bucket
  }
}
