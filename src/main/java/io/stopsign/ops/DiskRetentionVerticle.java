package io.stopsign.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link DiskRetention} sweep at start and then every {@code disk.sweep_minutes}, on a
 * worker thread, and exports {@code stopsign_disk_bytes{kind=snapshots|clips|recordings|hls|spool}}
 * and {@code stopsign_disk_deleted_files_total{kind=snapshots|clips}}. Deployed with the analyzer
 * role, which writes the snapshots and clips.
 */
public final class DiskRetentionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DiskRetentionVerticle.class);

  // Process-wide like the registry: a redeployed verticle keeps feeding the same meters.
  private static final Map<String, AtomicLong> BYTES =
      Map.of(
          "snapshots", new AtomicLong(),
          "hls", new AtomicLong(),
          "spool", new AtomicLong(),
          "clips", new AtomicLong(),
          "recordings", new AtomicLong());
  private static final Counter DELETED = deleted("snapshots");
  private static final Counter CLIPS_DELETED = deleted("clips");

  private static Counter deleted(String kind) {
    return Counter.builder("stopsign_disk_deleted_files")
        .description("Files deleted by disk retention (age and size cap)")
        .tag("kind", kind)
        .register(Meters.registry());
  }

  static {
    BYTES.forEach(
        (kind, bytes) ->
            Gauge.builder("stopsign_disk_bytes", bytes, AtomicLong::get)
                .description("Bytes under the data directory, by kind, at the last sweep")
                .tag("kind", kind)
                .register(Meters.registry()));
  }

  private final DiskRetention retention;
  private final DiskConfig config;
  private long timer = -1;
  private Future<DiskRetention.Sweep> running;

  public DiskRetentionVerticle(Path dataDir, DiskConfig config) {
    this(dataDir, config, Clock.systemUTC());
  }

  public DiskRetentionVerticle(Path dataDir, DiskConfig config, Clock clock) {
    this.retention = new DiskRetention(dataDir, config, clock);
    this.config = config;
  }

  @Override
  public Future<?> start() {
    sweepNow();
    timer = vertx.setPeriodic(config.sweepMinutes() * 60_000L, id -> sweepNow());
    return Future.succeededFuture();
  }

  /** Sweeps now, or returns the sweep in progress; a failure is logged. */
  public synchronized Future<DiskRetention.Sweep> sweepNow() {
    if (running != null) {
      return running;
    }
    Future<DiskRetention.Sweep> sweep =
        context
            .executeBlocking(retention::sweep, true)
            .onSuccess(this::report)
            .onFailure(e -> LOG.warn("disk: sweep failed: {}", e.toString()))
            .onComplete(x -> finished());
    running = sweep;
    return sweep;
  }

  private synchronized void finished() {
    running = null;
  }

  private void report(DiskRetention.Sweep s) {
    BYTES.get("snapshots").set(s.snapshotBytes());
    BYTES.get("hls").set(s.hlsBytes());
    BYTES.get("spool").set(s.spoolBytes());
    BYTES.get("clips").set(s.clipBytes());
    BYTES.get("recordings").set(s.recordingBytes());
    DELETED.increment(s.deleted());
    CLIPS_DELETED.increment(s.clipsDeleted());
    if (s.clipsDeleted() > 0) {
      LOG.info(
          "disk: deleted {} replay clip files ({} past {} days, {} over the {} MB cap), {} MB left",
          s.clipsDeleted(),
          s.clipsDeletedByAge(),
          config.clipRetentionDays(),
          s.clipsDeletedByCap(),
          config.clipMaxMb(),
          mb(s.clipBytes()));
    }
    if (s.deleted() > 0 || s.failed() > 0) {
      LOG.info(
          "disk: deleted {} snapshots ({} past {} days, {} over the {} MB cap), {} MB freed,"
              + " {} MB left{}",
          s.deleted(),
          s.deletedByAge(),
          config.snapshotRetentionDays(),
          s.deletedByCap(),
          config.snapshotMaxMb(),
          mb(s.freedBytes()),
          mb(s.snapshotBytes()),
          s.failed() > 0 ? "; " + s.failed() + " could not be deleted" : "");
    }
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
