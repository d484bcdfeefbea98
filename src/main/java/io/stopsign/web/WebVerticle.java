package io.stopsign.web;

import io.stopsign.broadcast.BroadcastFeed;
import io.stopsign.broadcast.WebSocketHub;
import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.PlaybackUrls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP server: pages (webroot), WebJars, embedded HLS, the history API under /api, the
 * WebSocket at /ws, and the probes /healthz, /ready and /metrics.
 */
public final class WebVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  private static final long WEBJAR_MAX_AGE_S = 30L * 24 * 3600;

  private static final long PRUNE_MS = 60_000;
  private final HttpConfig http;
  private final Path dataDir;
  private final List<CameraConfig> cameras;
  private final PlaybackUrls playback;
  private final WebSocketHub hub;
  private HealthBoard readiness;
  private BroadcastFeed feed;
  private final Supplier<Future<Router>> apiRouter;
  private final AccessGuard guard;
  private final HostGuard hosts;
  private final SecurityHeaders headers;
  private final RateLimiter limiter;
  private long pruneTimer = -1;
  private long tlsTimer = -1;

  /** How often the certificate files are checked for a renewal (two file stats). */
  private static final long TLS_POLL_MS = 2000;

  private volatile HttpServer server;

  /**
   * @param dataDir where the embedded HLS segments are written, served at /hls
   * @param cameras the configured cameras, listed at /api/cameras when there is no database
   * @param playback where the page plays the cameras (HLS, WebRTC)
   * @param hub the WebSocket clients; this verticle owns it and feeds it from the bus
   * @param apiRouter creates the history API router (mounted at /api); null when this process has
   *     no database, then /api/cameras comes from the configuration and the rest of /api is 503
   */
  public WebVerticle(
      HttpConfig http,
      Path dataDir,
      List<CameraConfig> cameras,
      PlaybackUrls playback,
      WebSocketHub hub,
      Supplier<Future<Router>> apiRouter) {
    this.http = http;
    this.dataDir = dataDir;
    this.cameras = List.copyOf(cameras);
    this.playback = playback;
    this.hub = hub;
    this.apiRouter = apiRouter;
    this.guard = new AccessGuard(http);
    this.hosts = new HostGuard(http.host(), http.allowedHosts());
    this.headers = new SecurityHeaders(http.tls(), playback);
    this.limiter = new RateLimiter(http.limits().requestsPerSecond());
  }

  /** The port the server is bound to (useful with http.port 0); -1 before start. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  @Override
  public Future<?> start() {
    List<String> ids = cameras.stream().map(CameraConfig::id).toList();
    List<String> expected = new ArrayList<>();
    ids.forEach(id -> expected.add("camera." + id));
    expected.add("db");
    readiness =
        new HealthBoard(
            vertx,
            expected,
            ids.isEmpty()
                ? "no camera is configured: add cameras to the config or pass --source"
                : null);
    feed = new BroadcastFeed(ids, hub);
    Future<Router> api = apiRouter == null ? Future.succeededFuture(null) : apiRouter.get();
    pruneTimer = vertx.setPeriodic(PRUNE_MS, id -> limiter.prune(System.nanoTime()));
    return Future.all(readiness.start(), feed.start(vertx))
        .compose(x -> api)
        .compose(this::routes)
        .compose(router -> listen(router));
  }

  @Override
  public Future<?> stop() {
    HttpServer s = server;
    hub.disconnectAll();
    vertx.cancelTimer(pruneTimer);
    vertx.cancelTimer(tlsTimer);
    limiter.close();
    Future<?> feeds = Future.join(readiness.stop(), feed.stop());
    return s == null ? feeds : Future.join(feeds, s.close());
  }

  private Future<Router> routes(Router api) {
    Router router = Router.router(vertx);
    router.route().handler(headers::handle);
    router.route().handler(hosts::handle);
    router.route().handler(RequestSanity::handle);
    // probes stay open: kubelet probes carry no token and reveal no camera data beyond state
    router
        .get("/healthz")
        .handler(HealthCheckHandler.createWithHealthChecks(Probes.liveness(vertx)));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness.checks()));
    // before the token check, so guessing tokens is throttled too
    router.route("/api/*").handler(limiter::handle);
    router.get("/ws").handler(limiter::handle);
    router.post("/api/session").handler(guard::login);
    router.delete("/api/session").handler(guard::logout);
    router.route().handler(guard::handle);
    router.get("/metrics").handler(Probes.metrics(readiness.checks()));
    router.get("/ws").handler(this::upgrade);
    router
        .route("/hls/*")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(new HlsFiles(dataDir));
    router
        .route("/webjars/*")
        .handler(
            StaticHandler.create("META-INF/resources/webjars")
                .setMaxAgeSeconds(WEBJAR_MAX_AGE_S)
                .setDirectoryListing(false));
    if (api != null) {
      router.route("/api/*").subRouter(api);
    } else {
      CameraDirectory directory = new CameraDirectory(cameras, playback);
      router.get("/api/cameras").handler(directory::list);
      router.route("/api/*").handler(CameraDirectory::unavailable);
    }
    router.route().handler(WebVerticle::revalidate);
    router
        .route()
        .handler(
            StaticHandler.create("webroot").setIndexPage("index.html").setDirectoryListing(false));
    router.route().failureHandler(ErrorResponses::failure);
    router.errorHandler(
        404, ctx -> ErrorResponses.send(ctx, 404, "no such page: " + ctx.request().path()));
    router.errorHandler(405, ctx -> ErrorResponses.send(ctx, 405, null));
    return Future.succeededFuture(router);
  }

  private Future<HttpServer> listen(Router router) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(http.host())
            .setPort(http.port())
            .setCompressionSupported(true)
            .setMaxWebSocketFrameSize(65536)
            .setMaxWebSocketMessageSize(65536)
            // metadata is serialised once for all clients; per-client deflate would undo that
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false);
    if (http.tls()) {
      options
          .setSsl(true)
          .setSslEngineOptions(new OpenSSLEngineOptions())
          .setKeyCertOptions(
              new PemKeyCertOptions().setCertPath(http.tlsCert()).setKeyPath(http.tlsKey()));
    }
    if (!http.tokenRequired() && !HttpConfig.isLoopback(http.host())) {
      LOG.warn(
          "SECURITY: listening on {} without a token: anyone who can reach this address sees the"
              + " cameras; set http.token (and http.tls_cert/tls_key) or bind 127.0.0.1",
          http.host());
    }
    return vertx
        .createHttpServer(options)
        .requestHandler(router)
        .listen()
        .onSuccess(
            s -> {
              server = s;
              if (http.tls()) {
                watchCertificates(s, new TlsFiles(http.tlsCert(), http.tlsKey()));
              }
              LOG.info(
                  "web listening on {}://{}:{}{}",
                  http.tls() ? "https" : "http",
                  http.host(),
                  s.actualPort(),
                  http.tokenRequired() ? " (token required)" : "");
            });
  }

  /** Serves a renewed certificate and key (e.g. a rotated Secret) to new connections. */
  private void watchCertificates(HttpServer s, TlsFiles files) {
    tlsTimer =
        vertx.setPeriodic(
            TLS_POLL_MS,
            id -> {
              if (!files.changed()) {
                return;
              }
              vertx
                  .executeBlocking(() -> TlsFiles.problem(http.tlsCert(), http.tlsKey()))
                  .compose(
                      problem -> {
                        if (problem != null) {
                          LOG.warn(
                              "TLS files changed but do not load, still serving the old ones: {}",
                              problem);
                          return Future.succeededFuture(false);
                        }
                        return s.updateSSLOptions(files.options(), true);
                      })
                  .onSuccess(
                      updated -> {
                        if (updated) {
                          LOG.info("TLS certificate reloaded from {}", http.tlsCert());
                        }
                      })
                  .onFailure(e -> LOG.warn("TLS certificate reload failed: {}", e.toString()));
            });
  }

  private void upgrade(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      ErrorResponses.send(
          ctx, 400, "expected a WebSocket upgrade (GET /ws with Upgrade: websocket)");
      return;
    }
    if (!guard.originAllowed(request)) {
      ErrorResponses.send(
          ctx,
          403,
          "origin "
              + request.getHeader("Origin")
              + " may not open the WebSocket; see http.allowed_origins");
      return;
    }
    Set<String> cameras;
    try {
      cameras = WebSocketHub.cameraFilter(ctx.queryParam("camera"));
    } catch (IllegalArgumentException e) {
      ErrorResponses.send(ctx, 400, e.getMessage());
      return;
    }
    String address = request.remoteAddress().hostAddress();
    WebSocketHub.Refusal refusal = hub.admit(address);
    if (refusal != null) {
      ctx.response().putHeader("retry-after", "10");
      ErrorResponses.send(ctx, refusal.perAddress() ? 429 : 503, refusal.detail());
      return;
    }
    request
        .toWebSocket()
        .onSuccess(socket -> hub.accept(socket, cameras, address))
        .onFailure(
            e -> {
              hub.release(address);
              LOG.debug("WebSocket upgrade failed: {}", e.toString());
            });
  }

  /**
   * Pages and scripts are revalidated on every load (ETag/Last-Modified), so an upgrade shows at
   * once.
   */
  private static void revalidate(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> ctx.response().headers().set("cache-control", "no-cache"));
    ctx.next();
  }
}
