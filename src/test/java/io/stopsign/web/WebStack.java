package io.stopsign.web;

import io.stopsign.ConfigLoader;
import io.stopsign.StopSignConfig;
import io.stopsign.api.ApiRouter;
import io.stopsign.broadcast.WebSocketHub;
import io.stopsign.bus.HealthReporter;
import io.stopsign.codec.Codecs;
import io.stopsign.testing.OnContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The web side of the service as the launcher wires it: the real WebVerticle (on 127.0.0.1, any
 * free port) with its own hub, fed from the bus. Test configuration comes as {@code stopsign.*}
 * overrides (YAML values), exactly like system properties.
 */
public final class WebStack implements AutoCloseable {
  public final Vertx vertx;
  public final StopSignConfig config;
  public final WebSocketHub hub;
  public final WebVerticle web;
  public final int port;
  private final List<HealthReporter> reporters = new ArrayList<>();

  private WebStack(Vertx vertx, StopSignConfig config, WebSocketHub hub, WebVerticle web) {
    this.vertx = vertx;
    this.config = config;
    this.hub = hub;
    this.web = web;
    this.port = web.actualPort();
  }

  /** Config with {@code http.port 0}, {@code data_dir dataDir} and the given overrides. */
  public static StopSignConfig config(Path dataDir, Map<String, String> overrides) {
    Properties props = new Properties();
    props.setProperty("stopsign.http.host", "127.0.0.1");
    props.setProperty("stopsign.http.port", "0");
    props.setProperty("stopsign.data_dir", dataDir.toString());
    overrides.forEach((key, value) -> props.setProperty("stopsign." + key, value));
    return ConfigLoader.load(null, null, Map.of(), props);
  }

  public static WebStack start(Vertx vertx, StopSignConfig config, Supplier<Future<Router>> api)
      throws Exception {
    Codecs.register(vertx.eventBus());
    WebSocketHub hub =
        new WebSocketHub(
            config.queues().wsClient(),
            config.http().limits().wsMaxClients(),
            config.http().limits().wsMaxPerAddress(),
            config.http().limits().wsPingSeconds());
    WebVerticle web =
        new WebVerticle(
            config.http(), config.dataDir(), config.cameras(), config.playback(), hub, api);
    await(vertx.deployVerticle(web));
    return new WebStack(vertx, config, hub, web);
  }

  /** The same, with the real history API over {@code pool} mounted at /api, as the service does. */
  public static WebStack startWithApi(Vertx vertx, StopSignConfig config, Pool pool)
      throws Exception {
    return start(
        vertx,
        config,
        () ->
            ApiRouter.create(
                vertx,
                pool,
                config.cameras(),
                config.playback(),
                config.dataDir(),
                config.timezone()));
  }

  /** Reports a readiness check every second, as the stage that owns it would. */
  public void report(String check, Supplier<Status> status) {
    reporters.add(new HealthReporter(vertx, check, "test", status).start());
  }

  /** A response read whole. */
  public record Reply(int status, MultiMap headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** Sends {@code options} with {@code http}, started on a Vert.x context (see OnContext). */
  public Reply get(HttpClient http, RequestOptions options) throws Exception {
    return await(
        OnContext.call(
            vertx.getOrCreateContext(),
            () ->
                http.request(options)
                    .compose(req -> req.send())
                    .compose(
                        (HttpClientResponse res) ->
                            res.body()
                                .map(
                                    body ->
                                        new Reply(
                                            res.statusCode(), res.headers(), body.toString())))));
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Override
  public void close() throws Exception {
    reporters.forEach(HealthReporter::stop);
    hub.close();
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
