package io.stopsign.persist;

import io.stopsign.judge.TrackState;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * Benchmark (not a test): N synthetic detection rows through the real batched writer path (unnest
 * INSERT with the tracks upsert, one statement per {@code db.batch_rows}, one at a time as the
 * writer does), then the same rows with COPY into a fresh partition of the same day; prints rows/s
 * of each (best of three after a warm-up) and the ratio writer / COPY. Also shown: the writer's
 * slower ON CONFLICT statement (used only for batches holding duplicates) and detections without
 * the tracks upsert. Run: {@code java -cp ... io.stopsign.persist.InsertBenchmark [rows]}.
 */
public final class InsertBenchmark {
  private static final LocalDate DAY = LocalDate.of(2000, 1, 3);
  private static final double DAY_START = DAY.toEpochDay() * 86_400.0;
  private static final int TRACKS_PER_FRAME = 10;

  public static void main(String[] args) {
    run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 200_000);
  }

  /** The writer's rows per second and its ratio to COPY of the same rows. */
  public record Result(double writerRowsPerSecond, double writerToCopy) {}

  /** Against an embedded Postgres started for the run. */
  public static Result run(PrintStream out, int rows) {
    return run(out, rows, new DbConfig("", "", "", 2));
  }

  /** Against {@code config} (its url, or an embedded Postgres when empty). */
  public static Result run(PrintStream out, int rows, DbConfig config) {
    Path dir;
    try {
      dir = Files.createTempDirectory("stopsign-bench");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.start(config, dir)) {
      db.migrate();
      Pool pool = db.pool(vertx, 1);
      Pool bulkPool = db.bulkPool(vertx, 1);
      RowWriter writer = new RowWriter(pool, bulkPool, new Partitions(pool));
      List<DetectionRows> warm = batches(Math.min(rows, 50_000), config.batchRows());
      List<DetectionRows> batches = batches(rows, config.batchRows());
      String insertOnly =
          RowWriter.DETECTIONS_NEW_SQL.substring(
              "WITH ins AS (".length(), RowWriter.DETECTIONS_NEW_SQL.indexOf(" RETURNING"));
      String allCsv = csv(batches);
      String warmCsv = csv(warm);
      // [0] the writer's path, [1] its ON CONFLICT statement (taken when a batch holds duplicates),
      // [2] detections alone without the tracks upsert, [3] COPY.
      double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
      // Warm the JIT and the server on each path first; then the best of three runs, each into a
      // fresh partition, so a busy machine's noise costs as little as possible.
      for (int round = -1; round < 3; round++) {
        List<DetectionRows> data = round < 0 ? warm : batches;
        for (int path = 0; path < 4; path++) {
          freshPartition(db);
          long t0 = System.nanoTime();
          switch (path) {
            case 0 -> insert(writer, data);
            case 1 -> statements(bulkPool, RowWriter.DETECTIONS_SQL, data);
            case 2 -> statements(bulkPool, insertOnly, data);
            default -> copy(db, round < 0 ? warmCsv : allCsv);
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          if (round >= 0) {
            best[path] = Math.min(best[path], seconds);
          }
        }
      }
      freshPartition(db);
      await(pool.close());
      await(bulkPool.close());

      double batched = rows / best[0];
      double copy = rows / best[3];
      out.printf(
          "insert benchmark: %d detection rows, batches of %d, Postgres %s, best of 3 runs%n",
          rows, config.batchRows(), config.embedded() ? "embedded" : DbConfig.redact(config.url()));
      out.printf(
          "  writer's path (unnest INSERT + tracks upsert): %,.0f rows/s (%.2f s)%n",
          batched, best[0]);
      out.printf(
          "  its ON CONFLICT statement (batches with duplicates): %,.0f rows/s (%.2f s)%n",
          rows / best[1], best[1]);
      out.printf(
          "  detections alone, no tracks upsert: %,.0f rows/s (%.2f s)%n", rows / best[2], best[2]);
      out.printf(
          "  COPY (CopyManager, one csv stream made in advance): %,.0f rows/s (%.2f s)%n",
          copy, best[3]);
      out.printf(
          "  ratio writer / COPY: %.2f (targets: >= 50,000 rows/s, ratio >= 0.5)%n",
          batched / copy);
      return new Result(batched, batched / copy);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("insert benchmark failed: " + e.getMessage(), e);
    } finally {
      await(vertx.close());
      deleteTree(dir);
    }
  }

  /** The embedded database of the run is not worth keeping. */
  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }

  /**
   * Synthetic frames: 10 cars a frame, each track living 300 frames, in batches like the writer's.
   */
  private static List<DetectionRows> batches(int rows, int batchRows) {
    String run = UUID.randomUUID().toString();
    List<DetectionRows> out = new ArrayList<>();
    DetectionRows batch = new DetectionRows();
    for (int frame = 0; frame * TRACKS_PER_FRAME < rows; frame++) {
      List<TrackState> tracks = new ArrayList<>();
      for (int k = 0; k < TRACKS_PER_FRAME && frame * TRACKS_PER_FRAME + k < rows; k++) {
        long id = (frame / 300) * TRACKS_PER_FRAME + k;
        float x = (frame % 300) * 4f + k * 30;
        tracks.add(
            new TrackState(id, "car", 0.8f, x, 300, x + 90, 360, 40.0 - k, 0.1, false, k == 0));
      }
      batch.add(
          new FrameMetadata(
              "bench",
              run,
              frame,
              DAY_START + 60 + frame / 30.0,
              tracks,
              List.of(),
              1920,
              1080,
              640,
              640,
              "px/s"));
      if (batch.size() >= batchRows) {
        out.add(batch);
        batch = new DetectionRows();
      }
    }
    if (batch.size() > 0) {
      out.add(batch);
    }
    return out;
  }

  private static void insert(RowWriter writer, List<DetectionRows> batches) {
    for (DetectionRows batch : batches) {
      await(writer.writeDetections(batch, true));
    }
  }

  /** The rows as COPY csv, built before the clock starts so COPY is timed at its best. */
  private static String csv(List<DetectionRows> batches) {
    StringBuilder csv = new StringBuilder(batches.size() * batches.get(0).size() * 120);
    for (DetectionRows b : batches) {
      for (int i = 0; i < b.size(); i++) {
        csv.append(DetectionRows.toTime(b.tsMicros.get(i)))
            .append(',')
            .append(b.camera.get(i))
            .append(',')
            .append(b.runId.get(i))
            .append(',')
            .append(b.frame.get(i))
            .append(',')
            .append(b.detIdx.get(i))
            .append(',')
            .append(b.trackId.get(i))
            .append(',')
            .append(b.cls.get(i))
            .append(',')
            .append(b.score.get(i))
            .append(',')
            .append(b.x1.get(i))
            .append(',')
            .append(b.y1.get(i))
            .append(',')
            .append(b.x2.get(i))
            .append(',')
            .append(b.y2.get(i))
            .append(',')
            .append(b.speed.get(i))
            .append(',')
            .append(b.direction.get(i))
            .append(',')
            .append(b.parked.get(i))
            .append('\n');
      }
    }
    return csv.toString();
  }

  /** One COPY stream for all rows: the fastest way in, the baseline to compare with. */
  private static void copy(Database db, String csv) throws SQLException, IOException {
    try (Connection c = connect(db)) {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY detections (ts_utc, camera, run_id, frame, det_idx, track_id, cls, score, x1, y1, x2, y2,"
                  + " speed, direction, is_parked) FROM STDIN (FORMAT csv)",
              new StringReader(csv));
    }
  }

  /** One statement per batch, straight to the pool (the writer's fallbacks left out). */
  private static void statements(Pool pool, String sql, List<DetectionRows> batches) {
    for (DetectionRows batch : batches) {
      await(pool.preparedQuery(sql).execute(batch.tuple()));
    }
  }

  /** Drops and recreates the benchmark day's partition, and forgets its tracks. */
  private static void freshPartition(Database db) throws SQLException {
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + Partitions.name(DAY));
      s.execute(
          "CREATE TABLE "
              + Partitions.name(DAY)
              + " PARTITION OF detections FOR VALUES FROM ('"
              + DAY
              + " 00:00:00+00') TO ('"
              + DAY.plusDays(1)
              + " 00:00:00+00')");
      s.execute("DELETE FROM tracks WHERE camera = 'bench'");
      s.execute("VACUUM tracks");
      s.execute("CHECKPOINT");
    }
  }

  private static Connection connect(Database db) throws SQLException {
    var o = db.connectOptions();
    return DriverManager.getConnection(db.jdbcUrl(), o.getUser(), o.getPassword());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private InsertBenchmark() {}
}
