package io.stopsign.testing;

import io.stopsign.camera.CameraConfig;
import io.stopsign.persist.Database;
import io.stopsign.persist.DbConfig;
import io.stopsign.persist.PersistVerticle;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

  /** A JDBC connection to the test database, for reading what the code under test stored. */
  public static Connection jdbc() throws SQLException {
    return DriverManager.getConnection(get().jdbcUrl(), "postgres", "postgres");
  }

  /** Runs {@code sql} with {@code params} bound in order: each row's columns as text. */
  public static List<List<String>> rows(String sql, Object... params) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = jdbc();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        int columns = r.getMetaData().getColumnCount();
        while (r.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            row.add(r.getString(i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  /** Deploys the real persistence verticle on this database, storing what {@code camera} sends. */
  public static void deployPersist(Vertx vertx, Path dataDir, CameraConfig camera)
      throws TimeoutException {
    vertx
        .deployVerticle(
            new PersistVerticle(
                get(),
                new DbConfig("", "", "", 4, 1000, 100, 16, 0),
                dataDir,
                List.of(camera),
                64,
                "test"))
        .await(60, TimeUnit.SECONDS);
  }

  private TestDb() {}
}
