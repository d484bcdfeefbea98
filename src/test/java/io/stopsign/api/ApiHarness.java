package io.stopsign.api;

import io.stopsign.StopSignConfig;
import io.stopsign.config.ConfigReader;
import io.stopsign.testing.TestDb;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The API router mounted at /api in a plain HTTP server on 127.0.0.1, over the shared embedded
 * Postgres, with a web client and helpers to insert rows. Blocking helpers: call from test threads.
 */
final class ApiHarness implements AutoCloseable {
  final Vertx vertx;
  final Pool pool;
  final StopSignConfig config;
  final HttpServer server;
  final WebClient client;

  private ApiHarness(Vertx vertx, Pool pool, StopSignConfig config, HttpServer server) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.server = server;
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  static ApiHarness start(Vertx vertx, Map<String, Object> configTree) {
    return start(vertx, TestDb.get().pool(vertx, 4), configTree);
  }

  static ApiHarness start(Vertx vertx, Pool pool, Map<String, Object> configTree) {
    StopSignConfig config = StopSignConfig.from(ConfigReader.of("", configTree));
    Router api =
        await(
            ApiRouter.create(
                vertx,
                pool,
                config.cameras(),
                config.playback(),
                config.dataDir(),
                config.timezone()));
    Router root = Router.router(vertx);
    root.route(ApiRouter.MOUNT_POINT + "/*").subRouter(api);
    HttpServer server = await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
    return new ApiHarness(vertx, pool, config, server);
  }

  HttpResponse<Buffer> get(String uri) {
    return await(client.get(uri).send());
  }

  HttpResponse<Buffer> get(String uri, String header, String value) {
    return await(client.get(uri).putHeader(header, value).send());
  }

  JsonObject getJson(String uri) {
    HttpResponse<Buffer> r = get(uri);
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "GET " + uri + " answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  /** Inserts a pass as the persistence stage would and returns its id. */
  UUID insertPass(Pass p) {
    UUID id = p.id != null ? p.id : UUID.randomUUID();
    await(
        pool.preparedQuery(
                "INSERT INTO passes (id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict,"
                    + " time_in_zone, stop_duration, min_speed, entry_speed, speed_unit, reason,"
                    + " trajectory, snapshot) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
                    + " $12, $13, $14, $15)")
            .execute(
                Tuple.tuple()
                    .addUUID(id)
                    .addString(p.camera)
                    .addUUID(p.runId)
                    .addLong(p.trackId)
                    .addOffsetDateTime(utc(p.exit))
                    .addOffsetDateTime(utc(p.exit.minusMillis((long) (p.timeInZone * 1000))))
                    .addString(p.verdict)
                    .addFloat(p.timeInZone)
                    .addFloat(p.stopDuration)
                    .addFloat(p.minSpeed)
                    .addFloat(p.entrySpeed)
                    .addString("px/s")
                    .addString(p.reason)
                    .addValue(p.trajectory)
                    .addString(p.snapshot)));
    return id;
  }

  static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String camera(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String body(HttpResponse<Buffer> r) {
    return r.body() == null ? "" : r.body().toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
    await(server.close().transform(x -> pool.close()));
  }

  /** A pass row to insert; fields are public for brevity in tests. */
  static final class Pass {
    UUID id;
    String camera;
    UUID runId = UUID.randomUUID();
    long trackId = 7;
    Instant exit;
    String verdict = "full";
    float timeInZone = 3.0f;
    float stopDuration = 1.5f;
    float minSpeed = 2.0f;
    float entrySpeed = 40.0f;
    String reason = "test";
    JsonArray trajectory =
        new JsonArray().add(new JsonArray().add(1.0).add(10).add(20).add(30).add(40));
    String snapshot;

    Pass(String camera, Instant exit) {
      this.camera = camera;
      this.exit = exit;
    }

    Pass verdict(String v) {
      this.verdict = v;
      return this;
    }

    Pass id(UUID id) {
      this.id = id;
      return this;
    }

    Pass stop(float seconds) {
      this.stopDuration = seconds;
      return this;
    }

    Pass entrySpeed(float speed) {
      this.entrySpeed = speed;
      return this;
    }

    Pass minSpeed(float speed) {
      this.minSpeed = speed;
      return this;
    }

    Pass snapshot(String path) {
      this.snapshot = path;
      return this;
    }
  }
}
