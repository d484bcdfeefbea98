package io.stopsign.persist;

import io.stopsign.config.ConfigReader;

/**
 * {@code db.*}: the Postgres store; an empty url starts embedded Postgres under the data directory.
 *
 * @param batchRows detection rows per INSERT batch
 * @param flushMs the longest a detection row waits before its batch is written
 * @param spoolMaxMb size cap of the outage spool under data_dir/spool
 * @param retentionDays days of detections kept (older daily partitions are dropped); 0 = forever
 */
public record DbConfig(
    String url,
    String user,
    String password,
    int poolSize,
    int batchRows,
    int flushMs,
    int spoolMaxMb,
    int retentionDays) {

  public static final int DEFAULT_BATCH_ROWS = 1000;
  public static final int DEFAULT_FLUSH_MS = 250;
  public static final int DEFAULT_SPOOL_MAX_MB = 512;
  public static final int DEFAULT_RETENTION_DAYS = 30;

  /** The connection settings with every writer setting at its default. */
  public DbConfig(String url, String user, String password, int poolSize) {
    this(
        url,
        user,
        password,
        poolSize,
        DEFAULT_BATCH_ROWS,
        DEFAULT_FLUSH_MS,
        DEFAULT_SPOOL_MAX_MB,
        DEFAULT_RETENTION_DAYS);
  }

  public boolean embedded() {
    return url.isEmpty();
  }

  public long spoolMaxBytes() {
    return spoolMaxMb * 1024L * 1024L;
  }

  public static DbConfig from(ConfigReader r) {
    DbConfig c =
        new DbConfig(
            r.string("url", ""),
            r.string("user", ""),
            r.string("password", ""),
            r.integer("pool_size", 4, 1, 64),
            r.integer("batch_rows", DEFAULT_BATCH_ROWS, 1, 100_000),
            r.integer("flush_ms", DEFAULT_FLUSH_MS, 10, 60_000),
            r.integer("spool_max_mb", DEFAULT_SPOOL_MAX_MB, 1, 1_000_000),
            r.integer("retention_days", DEFAULT_RETENTION_DAYS, 0, 36_500));
    r.done();
    return c;
  }
}
