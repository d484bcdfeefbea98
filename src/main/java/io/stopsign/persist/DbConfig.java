package io.stopsign.persist;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.util.regex.Pattern;

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

  private static final Pattern URL = Pattern.compile("(jdbc:)?postgres(ql)?://");
  private static final Pattern USER_PASSWORD = Pattern.compile("(//[^/@:?#]*):[^/?#]*@");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&]password=)[^&#]*");

  /** The URL with any password (user info or {@code ?password=}) replaced, for logs and errors. */
  public static String redact(String url) {
    String out = USER_PASSWORD.matcher(url).replaceFirst("$1:***@");
    return PASSWORD_PARAM.matcher(out).replaceAll("$1***");
  }

  public boolean embedded() {
    return url.isEmpty();
  }

  public long spoolMaxBytes() {
    return spoolMaxMb * 1024L * 1024L;
  }

  public static DbConfig from(ConfigReader r) {
    String url = r.string("url", "");
    if (!url.isEmpty() && !URL.matcher(url).lookingAt()) {
      throw new ConfigException(
          r.key("url"), redact(url), "must be a postgresql:// or jdbc:postgresql:// URL");
    }
    DbConfig c =
        new DbConfig(
            url,
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
