package io.stopsign.testing;

import io.stopsign.persist.Database;
import io.stopsign.persist.DbConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One migrated embedded Postgres per test JVM, started on first use and reused by every test. */
public final class TestDb {
  private static Database database;

  public static synchronized Database get() {
    if (database == null) {
      try {
        Path dir = Files.createTempDirectory("stopsign-testdb");
        database = Database.start(new DbConfig("", "", "", 4), dir);
        database.migrate();
        Runtime.getRuntime().addShutdownHook(new Thread(database::close));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return database;
  }

  /** The database as a {@code db.url} value for a service under test. */
  public static String url() {
    var pg = get().connectOptions();
    return "postgresql://%s:%s@%s:%d/%s"
        .formatted(pg.getUser(), pg.getPassword(), pg.getHost(), pg.getPort(), pg.getDatabase());
  }

  private TestDb() {}
}
