package io.stopsign.persist;

import io.stopsign.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the data lives: the configured Postgres, or an embedded one under {@code data_dir/pg} when
 * no URL is configured. Blocking methods: call them from a worker, never an event loop.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int CONNECT_TIMEOUT_MS = 5000;

  private final PgConnectOptions options;
  private final EmbeddedPostgres embedded;

  private Database(PgConnectOptions options, EmbeddedPostgres embedded) {
    this.options = options;
    this.embedded = embedded;
  }

  /** Connects to the configured database, or starts the embedded one. Blocking. */
  public static Database start(DbConfig config, Path dataDir) {
    if (!config.embedded()) {
      PgConnectOptions options = parseUrl(config.url());
      if (!config.user().isEmpty()) {
        options.setUser(config.user());
      }
      if (!config.password().isEmpty()) {
        options.setPassword(config.password());
      }
      return new Database(options, null);
    }
    try {
      Path dir = dataDir.resolve("pg").toAbsolutePath();
      Files.createDirectories(dir);
      OrphanPostmaster.release(dir);
      // zonky starts Postgres with fsync and synchronous_commit off: a power cut would lose
      // acknowledged passes, so both go back on (the bulk pool turns the latter off per session).
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .start();
      LOG.info("embedded Postgres started on port {} with data in {}", pg.getPort(), dir);
      PgConnectOptions options =
          new PgConnectOptions()
              .setHost("localhost")
              .setPort(pg.getPort())
              .setDatabase("postgres")
              .setUser("postgres")
              .setPassword("postgres");
      return new Database(options, pg);
    } catch (IOException e) {
      throw new IllegalStateException("embedded Postgres did not start: " + e.getMessage(), e);
    }
  }

  /** Accepts postgresql://user:pass@host:port/db and jdbc:postgresql://host:port/db. */
  static PgConnectOptions parseUrl(String url) {
    String uri = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    try {
      return PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      // no cause: the driver's message would repeat the URL with its password
      throw new ConfigException(
          "db.url", DbConfig.redact(url), "must be a postgresql:// or jdbc:postgresql:// URL");
    }
  }

  /** Applies the Flyway migrations in db/migration. Blocking. */
  public void migrate() {
    Flyway.configure()
        .dataSource(jdbcUrl(), options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://"
        + options.getHost()
        + ":"
        + options.getPort()
        + "/"
        + options.getDatabase();
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(options);
  }

  /**
   * A pool that gives up on an unreachable server within seconds, so writers can fall back fast.
   */
  public Pool pool(Vertx vertx, int size) {
    return pool(vertx, size, connectOptions());
  }

  /**
   * The longest one API query may run: Postgres cancels it (SQLSTATE 57014) and the client gets
   * 503.
   */
  public static final int API_STATEMENT_TIMEOUT_MS = 10_000;

  /**
   * A pool for client-driven reads (the history API): each statement is cancelled by Postgres after
   * {@link #API_STATEMENT_TIMEOUT_MS}, so no request can hold a connection and a core for long.
   */
  public Pool apiPool(Vertx vertx, int size) {
    return pool(
        vertx,
        size,
        connectOptions()
            .addProperty("statement_timeout", Integer.toString(API_STATEMENT_TIMEOUT_MS)));
  }

  /**
   * A pool whose commits do not wait for the WAL flush ({@code synchronous_commit = off}): for
   * sheddable bulk rows (detections) only. A Postgres crash may lose its last fraction of a second
   * of commits; the database itself stays consistent.
   */
  Pool bulkPool(Vertx vertx, int size) {
    return pool(vertx, size, connectOptions().addProperty("synchronous_commit", "off"));
  }

  private static Pool pool(Vertx vertx, int size, PgConnectOptions options) {
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(size)
                .setConnectionTimeout(10)
                .setConnectionTimeoutUnit(TimeUnit.SECONDS))
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  public boolean embedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        LOG.warn("embedded Postgres did not stop cleanly: {}", e.getMessage());
      }
    }
  }
}
