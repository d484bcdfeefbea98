package io.stopsign.web;

import io.stopsign.ops.Meters;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;

/** The operational endpoints: liveness checks of the process itself, and the Prometheus scrape. */
final class Probes {

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

  /** GET /metrics: the process's one Prometheus registry, scraped off the event loop. */
  static void metrics(RoutingContext ctx) {
    ctx.vertx()
        .executeBlocking(() -> Meters.prometheus().scrape(), false)
        .onSuccess(
            text ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .putHeader("cache-control", "no-store")
                    .end(text))
        .onFailure(ctx::fail);
  }

  private Probes() {}
}
