package io.stopsign.web;

import io.micrometer.core.instrument.Gauge;
import io.stopsign.ops.Meters;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The operational endpoints: liveness checks of the process itself, and the Prometheus scrape. */
final class Probes {
  /** /ready as a metric, so an alert can page when it has failed for minutes. */
  private static final AtomicInteger READY = new AtomicInteger();

  private static final Map<String, AtomicInteger> CHECKS = new ConcurrentHashMap<>();

  static {
    Gauge.builder("stopsign_ready", READY, AtomicInteger::get)
        .description("1 when /ready answers 200 (up or degraded), 0 when it answers 503")
        .register(Meters.registry());
  }

  /**
   * Liveness only: the event loop answers (this procedure runs on it) and verticles are deployed.
   * No external dependency, so a dead camera or database never gets the process restarted.
   */
  static HealthChecks liveness(Vertx vertx) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("event-loop", promise -> promise.complete(Status.OK()));
    checks.register(
        "verticles",
        promise -> {
          int deployed = vertx.deploymentIDs().size();
          JsonObject data = new JsonObject().put("deployed", deployed);
          promise.complete(
              deployed > 0
                  ? Status.OK(data)
                  : Status.KO(data.put("reason", "no verticle deployed")));
        });
    return checks;
  }

  /**
   * GET /metrics: the process's one Prometheus registry, scraped off the event loop, after /ready
   * is evaluated into {@code stopsign_ready} and {@code stopsign_ready_check{check}}.
   */
  static Handler<RoutingContext> metrics(HealthChecks readiness) {
    return ctx -> {
      String contentType = scrapeFormat(ctx.request().getHeader("accept"));
      readiness
          .checkStatus()
          .otherwise((CheckResult) null)
          .compose(
              result -> {
                record(result);
                return ctx.vertx()
                    .executeBlocking(() -> Meters.prometheus().scrape(contentType), false);
              })
          .onSuccess(
              text ->
                  ctx.response()
                      .putHeader("content-type", contentType)
                      .putHeader("cache-control", "no-store")
                      .end(text))
          .onFailure(ctx::fail);
    };
  }

  /**
   * OpenMetrics (with exemplars: trace ids on histogram buckets) when the scraper asks for it, as
   * Prometheus does; the classic text format otherwise.
   */
  static String scrapeFormat(String accept) {
    return accept != null && accept.contains("application/openmetrics-text")
        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
        : "text/plain; version=0.0.4; charset=utf-8";
  }

  private static void record(CheckResult result) {
    READY.set(result != null && CheckResult.isUp(result) ? 1 : 0);
    if (result == null || result.getChecks() == null) {
      return;
    }
    for (CheckResult check : result.getChecks()) {
      CHECKS
          .computeIfAbsent(
              check.getId(),
              id -> {
                AtomicInteger up = new AtomicInteger();
                Gauge.builder("stopsign_ready_check", up, AtomicInteger::get)
                    .description("1 when this /ready check is up, 0 when down (check = its id)")
                    .tag("check", id)
                    .register(Meters.registry());
                return up;
              })
          .set(CheckResult.isUp(check) ? 1 : 0);
    }
  }

  private Probes() {}
}
