package io.stopsign.ops;

import io.stopsign.config.ConfigReader;

/**
 * {@code disk.*}: how much of the data directory snapshots may take. HLS segments (sliding window)
 * and the spool ({@code db.spool_max_mb}) bound themselves and are only measured.
 *
 * @param snapshotRetentionDays snapshots older than this are deleted; 0 = keep forever
 * @param snapshotMaxMb the snapshots folder is kept under this by deleting the oldest first; 0 = no
 *     cap
 * @param sweepMinutes minutes between two sweeps
 */
public record DiskConfig(int snapshotRetentionDays, int snapshotMaxMb, int sweepMinutes) {

  public static final DiskConfig DEFAULTS = new DiskConfig(30, 2048, 5);

  public DiskConfig {
    if (snapshotRetentionDays < 0 || snapshotMaxMb < 0 || sweepMinutes < 1) {
      throw new IllegalArgumentException(
          "disk retention days and size cap must be >= 0 and the sweep interval >= 1 minute");
    }
  }

  public long snapshotMaxBytes() {
    return snapshotMaxMb * 1024L * 1024L;
  }

  /** Reads a {@code disk} section; every key optional. */
  public static DiskConfig from(ConfigReader r) {
    DiskConfig d = DEFAULTS;
    DiskConfig c =
        new DiskConfig(
            r.integer("snapshot_retention_days", d.snapshotRetentionDays, 0, 36_500),
            r.integer("snapshot_max_mb", d.snapshotMaxMb, 0, 10_000_000),
            r.integer("sweep_minutes", d.sweepMinutes, 1, 1440));
    r.done();
    return c;
  }
}
