package io.stopsign.persist;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stopsign.ops.Meters;
import io.stopsign.ops.StageTimestamps;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/** The persistence meters, all in {@link Meters#registry()}; gauges are removed on close. */
final class WriterMeters {
  private final MeterRegistry registry = Meters.registry();
  private final Timer batchLatency;
  private final Map<String, Counter> rowsWritten = new ConcurrentHashMap<>();
  private final Map<String, Counter> shed = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final List<Meter> gauges = new CopyOnWriteArrayList<>();

  WriterMeters(LongSupplier spoolBytes, long spoolCapBytes) {
    batchLatency =
        Timer.builder("stopsign_db_batch_latency")
            .description("Time to commit one batched statement")
            .publishPercentileHistogram()
            .register(registry);
    gauges.add(
        Gauge.builder("stopsign_spool_bytes", spoolBytes, s -> s.getAsLong())
            .description("Bytes waiting in the outage spool")
            .strongReference(true) // a method reference nothing else holds: weak would read NaN
            .register(registry));
    gauges.add(
        Gauge.builder("stopsign_spool_max_bytes", () -> spoolCapBytes)
            .description("Size cap of the outage spool (db.spool_max_mb)")
            .register(registry));
  }

  Timer batchLatency() {
    return batchLatency;
  }

  void written(String table, int rows) {
    if (rows > 0) {
      rowsWritten
          .computeIfAbsent(
              table,
              t ->
                  Counter.builder("stopsign_db_rows_written")
                      .description("Rows inserted")
                      .tag("table", t)
                      .register(registry))
          .increment(rows);
    }
  }

  void shed(String kind, int rows) {
    shed.computeIfAbsent(
            kind,
            k ->
                Counter.builder("stopsign_spool_shed")
                    .description(
                        "Rows shed: the spool near its cap, or the writer's lane full (detections first)")
                    .tag("kind", k)
                    .register(registry))
        .increment(rows);
  }

  /** Bad input refused (never written, never spooled), by kind. */
  void rejected(String kind, int rows) {
    rejected
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder("stopsign_persist_rejected")
                    .description("Records refused as bad input")
                    .tag("kind", k)
                    .register(registry))
        .increment(rows);
  }

  /** The db_write link of the staleness chain: newest capture time committed for the camera. */
  void committed(String camera, double tsUtc) {
    double latest = StageTimestamps.latest(camera, "db_write");
    if (Double.isNaN(latest) || tsUtc > latest) { // a replay of old rows never moves it back
      StageTimestamps.mark(camera, "db_write", tsUtc);
    }
  }

  void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }
}
