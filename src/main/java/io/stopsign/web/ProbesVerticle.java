package io.stopsign.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;

/**
 * The probes of a process without the web role (an analyzer or persist node): /healthz, /ready of
 * this node's own checks (its cameras, its database writer, its cluster view) and /metrics, so an
 * orchestrator can probe and scrape it like a web node.
 */
public final class ProbesVerticle extends VerticleBase {
  private final HttpConfig http;
  private final String node;
  private HealthBoard readiness;
  private HttpServer server;

  public ProbesVerticle(HttpConfig http, String node) {
    this.http = http;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    readiness = new HealthBoard(vertx, List.of(), null).onlyFrom(node);
    Router router = Router.router(vertx);
    router
        .get("/healthz")
        .handler(HealthCheckHandler.createWithHealthChecks(Probes.liveness(vertx)));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness.checks()));
    router.route().handler(new AccessGuard(http)::handle); // probes open, metrics behind the token
    router.get("/metrics").handler(Probes.metrics(readiness.checks()));
    return readiness
        .start()
        .compose(
            x ->
                vertx
                    .createHttpServer(
                        new HttpServerOptions().setHost(http.host()).setPort(http.port()))
                    .requestHandler(router)
                    .listen())
        .onSuccess(s -> server = s);
  }

  /** The port bound (useful with port 0); -1 before start. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  @Override
  public Future<?> stop() {
    return Future.join(
        readiness.stop(), server == null ? Future.succeededFuture() : server.close());
  }
}
