package io.stopsign.persist;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.DropOldestQueue;
import io.stopsign.bus.FrameTraces;
import io.stopsign.bus.HealthReporter;
import io.stopsign.bus.JsonMessage;
import io.stopsign.camera.CameraConfig;
import io.stopsign.common.RateLimitedLog;
import io.stopsign.ops.Meters;
import io.stopsign.persist.PendingRecord.Outcome;
import io.stopsign.persist.PendingRecord.Refused;
import io.stopsign.persist.PersistRecord.Kind;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistence. At start: Flyway migrations (on a worker), today's and tomorrow's detections
 * partitions, retention, the configured cameras; then hourly the partitions and retention again.
 * Per-frame track metadata becomes {@code detections} rows and {@code tracks} upserts, written in
 * batches every {@code db.flush_ms} or {@code db.batch_rows} rows through the drop-oldest queue
 * {@code metadata.persist} (under pressure the oldest frames are shed, counted); passes ({@link
 * Addresses#PASSES}), events ({@link Addresses#EVENTS}) and session metrics ({@link
 * Addresses#SESSION_METRICS}) are stored one by one and acknowledged once durable.
 *
 * <p>Replies: {@code {"id":..., "stored":"written"|"spooled"}}; failure code 400 = the message
 * breaks its contract (do not retry), 503 = it cannot be kept now (keep it and retry). Every write
 * is idempotent on natural keys, so replays and duplicates change nothing. Database outages and the
 * spool: {@link DurableWriter}; the spool's cap: {@link SpoolGate}. Readiness check {@code db}: UP;
 * UP with data status {@code degraded} while the database is down and the spool takes the writes;
 * DOWN when the spool is full. Stopping flushes everything pending to the database or the spool,
 * then closes the spool.
 */
public final class PersistVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PersistVerticle.class);
  private static final long MAINTENANCE_MS = 3_600_000;
  private static final long STOP_TIMEOUT_MS = 10_000;

  private final Database database;
  private final DbConfig config;
  private final Path dataDir;
  private final List<CameraConfig> cameras;
  private final int metadataQueue;
  private final String node;
  private HealthReporter health;
  private final Clock clock;

  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Map<String, RateLimitedLog> rejectedLog = new HashMap<>();
  private Pool pool;
  private Pool bulkPool;
  private Spool spool;
  private WriterMeters meters;
  private DurableWriter writer;
  private SchemaMaintenance maintenance;
  private DropOldestQueue<FrameMetadata> queue;
  private final BatchTraces traces = new BatchTraces();
  private int queuedRows;
  private long flushTimer = -1;
  private long maintenanceTimer = -1;

  /**
   * @param database started by the launcher (embedded or configured), shared with the API
   * @param metadataQueue capacity of the {@code metadata.persist} queue, in frames ({@code
   *     queues.metadata})
   * @param node this process in the cluster, named in the {@code db} health reports
   */
  public PersistVerticle(
      Database database,
      DbConfig config,
      Path dataDir,
      List<CameraConfig> cameras,
      int metadataQueue,
      String node) {
    this(database, config, dataDir, cameras, metadataQueue, node, Clock.systemUTC());
  }

  PersistVerticle(
      Database database,
      DbConfig config,
      Path dataDir,
      List<CameraConfig> cameras,
      int metadataQueue,
      String node,
      Clock clock) {
    this.database = database;
    this.config = config;
    this.dataDir = dataDir;
    this.cameras = List.copyOf(cameras);
    this.metadataQueue = metadataQueue;
    this.node = node;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = database.pool(vertx, config.poolSize());
    bulkPool = database.bulkPool(vertx, 1);
    Partitions partitions = new Partitions(pool);
    maintenance =
        new SchemaMaintenance(
            vertx, database, pool, partitions, cameras, config.retentionDays(), clock);
    queue =
        new DropOldestQueue<>(
            "metadata.persist",
            metadataQueue,
            Meters.registry(),
            m -> {
              queuedRows -= rows(m);
              traces.dropped(m);
            });
    return vertx
        .executeBlocking(() -> new Spool(dataDir))
        .compose(
            opened -> {
              spool = opened;
              meters = new WriterMeters(spool::size, config.spoolMaxBytes());
              writer =
                  new DurableWriter(
                      vertx,
                      pool,
                      new RowWriter(pool, bulkPool, partitions),
                      spool,
                      meters,
                      config.spoolMaxBytes(),
                      Math.max(config.batchRows(), 5000),
                      maintenance::prepare);
              return writer.start();
            })
        .compose(
            v -> {
              health =
                  new HealthReporter(vertx, "db", node, new WriterHealth(writer::figures)).start();
              for (CameraConfig camera : cameras) {
                consumers.add(
                    vertx.eventBus().consumer(Addresses.metadata(camera.id()), this::onMetadata));
              }
              consumers.add(
                  vertx
                      .eventBus()
                      .consumer(Addresses.PASSES, m -> onRow(m, Kind.PASS, IncomingRows::pass)));
              consumers.add(
                  vertx
                      .eventBus()
                      .consumer(Addresses.EVENTS, m -> onRow(m, Kind.EVENT, IncomingRows::event)));
              consumers.add(
                  vertx
                      .eventBus()
                      .consumer(
                          Addresses.SESSION_METRICS,
                          m -> onRow(m, Kind.SESSION_METRICS, IncomingRows::sessionMetrics)));
              flushTimer = vertx.setPeriodic(config.flushMs(), id -> flush(false));
              maintenanceTimer =
                  vertx.setPeriodic(
                      MAINTENANCE_MS,
                      id ->
                          maintenance
                              .daily()
                              .onFailure(
                                  e ->
                                      LOG.warn(
                                          "daily partition upkeep failed: {}",
                                          DbErrors.describe(e))));
              return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
            })
        .onSuccess(
            v ->
                LOG.info(
                    "persistence ready for {} camera(s), batches of {} rows every {} ms",
                    cameras.size(),
                    config.batchRows(),
                    config.flushMs()))
        .onFailure(
            e -> {
              stopHealth();
              queue.close();
              if (meters != null) {
                meters.close();
              }
              if (spool != null) {
                vertx.executeBlocking(
                    () -> {
                      spool.close();
                      return null;
                    });
              }
              pool.close();
              bulkPool.close();
            });
  }

  private static int rows(FrameMetadata m) {
    return Math.max(1, m.tracks().size());
  }

  private void onMetadata(Message<Object> message) {
    FrameMetadata m;
    if (message.body() instanceof FrameMetadata frame) {
      m = frame;
    } else if (message.body() instanceof JsonObject json) {
      try {
        m = FrameMetadata.fromJson(json);
      } catch (RuntimeException e) {
        rejected("metadata", 1, "metadata that is not a FrameMetadata: " + DbErrors.describe(e));
        return;
      }
    } else {
      rejected(
          "metadata",
          1,
          "metadata of type " + (message.body() == null ? "null" : message.body().getClass()));
      return;
    }
    traces.queued(m, FrameTraces.of(message));
    queue.offer(m);
    queuedRows += rows(m);
    if (queuedRows >= config.batchRows()) {
      flush(false);
    }
  }

  /** Moves queued frames into one batch for the writer; holds back while the previous one waits. */
  private void flush(boolean all) {
    while (queue.size() > 0 && (all || !writer.detectionsWaiting())) {
      DetectionRows batch = new DetectionRows();
      FrameMetadata m;
      while (batch.size() < config.batchRows() && (m = queue.poll()) != null) {
        queuedRows -= rows(m);
        traces.batched(m);
        String bad = batch.add(m);
        if (bad != null) {
          rejected("detections", m.tracks().size(), "metadata refused: " + bad);
        }
      }
      Span span = traces.startWrite(batch.size());
      if (batch.newestTs.isEmpty()) {
        span.end();
      } else {
        Future<PendingRecord.Outcome> stored;
        try (Scope traced = span.makeCurrent()) {
          stored = writer.submit(PersistRecord.detections(batch));
        }
        stored.onComplete(
            ar -> {
              if (ar.failed()) {
                span.setStatus(StatusCode.ERROR, DbErrors.describe(ar.cause()));
              } else {
                span.setAttribute("outcome", String.valueOf(ar.result()));
              }
              span.end();
              if (!all && queuedRows >= config.batchRows()) {
                flush(false);
              }
            });
      }
      if (!all) {
        return;
      }
    }
  }

  private void onRow(Message<Object> message, Kind kind, UnaryOperator<JsonObject> validate) {
    JsonObject row;
    try {
      JsonObject json = JsonMessage.jsonOf(message.body()); // the record's JSON is validated too
      if (json == null) {
        throw new IllegalArgumentException("must be a JSON object");
      }
      row = validate.apply(json);
    } catch (IllegalArgumentException e) {
      rejected(kind.wire, 1, "bad " + kind.wire + ": " + e.getMessage());
      if (message.replyAddress() != null) {
        message.fail(400, "bad " + kind.wire + ": " + e.getMessage());
      }
      return;
    }
    writer.submit(PersistRecord.of(kind, row)).onComplete(ar -> reply(message, row, ar));
  }

  private static void reply(Message<Object> message, JsonObject row, AsyncResult<Outcome> ar) {
    if (message.replyAddress() == null) {
      return;
    }
    if (ar.succeeded()) {
      message.reply(
          new JsonObject()
              .put("id", row.getString("id"))
              .put("stored", ar.result() == Outcome.WRITTEN ? "written" : "spooled"));
    } else if (ar.cause() instanceof Refused refused) {
      message.fail(refused.code, refused.getMessage());
    } else {
      message.fail(500, "not stored: " + DbErrors.describe(ar.cause()));
    }
  }

  /** Bad input: counted always, logged at most once a minute per kind. */
  private void rejected(String kind, int rows, String why) {
    meters.rejected(kind, rows);
    rejectedLog
        .computeIfAbsent(kind, k -> new RateLimitedLog(LOG, 1, TimeUnit.MINUTES))
        .warn("{} (all are counted in stopsign_persist_rejected_total)", why);
  }

  private void stopHealth() {
    if (health != null) {
      health.stop();
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(maintenanceTimer);
    stopHealth();
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .eventually(
            () -> {
              flush(true);
              return writer.close(STOP_TIMEOUT_MS);
            })
        .eventually(
            () -> {
              queue.close();
              meters.close();
              LOG.info("persistence stopped: pending writes flushed, spool closed");
              return Future.join(pool.close(), bulkPool.close());
            });
  }
}
