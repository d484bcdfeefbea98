package io.stopsign.ops;

import io.stopsign.config.ConfigReader;

/**
 * {@code disk.*}: how much of the data directory snapshots and replay clips may take. HLS segments
 * (sliding window), recordings ({@code clips.record_minutes}) and the spool ({@code
 * db.spool_max_mb}) bound themselves and are only measured.
 *
 * @param snapshotRetentionDays snapshots older than this are deleted; 0 = keep forever
 * @param snapshotMaxMb the snapshots folder is kept under this by deleting the oldest first; 0 = no
 *     cap
 * @param sweepMinutes minutes between two sweeps
 * @param clipRetentionDays replay clips older than this are deleted; 0 = keep forever
 * @param clipMaxMb the clips folder is kept under this by deleting the oldest first; 0 = no cap
 */
public record DiskConfig(
    int snapshotRetentionDays,
    int snapshotMaxMb,
    int sweepMinutes,
    int clipRetentionDays,
    int clipMaxMb) {

  public static final DiskConfig DEFAULTS = new DiskConfig(30, 2048, 5, 7, 4096);

  public DiskConfig {
    if (snapshotRetentionDays < 0
        || snapshotMaxMb < 0
        || clipRetentionDays < 0
        || clipMaxMb < 0
        || sweepMinutes < 1) {
      throw new IllegalArgumentException(
          "disk retention days and size caps must be >= 0 and the sweep interval >= 1 minute");
    }
  }

  /** Snapshot limits with the default clip limits. */
  public DiskConfig(int snapshotRetentionDays, int snapshotMaxMb, int sweepMinutes) {
    this(snapshotRetentionDays, snapshotMaxMb, sweepMinutes, 7, 4096);
  }

  public long snapshotMaxBytes() {
    return snapshotMaxMb * 1024L * 1024L;
  }

  public long clipMaxBytes() {
    return clipMaxMb * 1024L * 1024L;
  }

  /** Reads a {@code disk} section; every key optional. */
  public static DiskConfig from(ConfigReader r) {
    DiskConfig d = DEFAULTS;
    DiskConfig c =
        new DiskConfig(
            r.integer("snapshot_retention_days", d.snapshotRetentionDays, 0, 36_500),
            r.integer("snapshot_max_mb", d.snapshotMaxMb, 0, 10_000_000),
            r.integer("sweep_minutes", d.sweepMinutes, 1, 1440),
            r.integer("clip_retention_days", d.clipRetentionDays, 0, 36_500),
            r.integer("clip_max_mb", d.clipMaxMb, 0, 10_000_000));
    r.done();
    return c;
  }
}
