package io.stopsign.testing;

import io.stopsign.bus.Addresses;
import io.stopsign.bus.HealthReport;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** Reads readiness the way a web node does: the next health report a check publishes. */
public final class HealthReports {

  /** The first report of {@code check} made after this call (reports come every second). */
  public static HealthReport next(Vertx vertx, String check) {
    double after = System.currentTimeMillis() / 1e3;
    Promise<HealthReport> promise = Promise.promise();
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.HEALTH,
                m -> {
                  if (m.body() instanceof HealthReport r
                      && r.check().equals(check)
                      && r.tsUtc() >= after) {
                    promise.tryComplete(r);
                  }
                });
    try {
      return promise.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no health report of " + check + " within 10 s", e);
    } finally {
      consumer.unregister();
    }
  }

  /** The report as a /ready check: {@code {id, status: UP|DOWN, data}}. */
  public static JsonObject asCheck(HealthReport report) {
    return new JsonObject()
        .put("id", report.check())
        .put("status", report.up() ? "UP" : "DOWN")
        .put("data", report.data());
  }

  private HealthReports() {}
}
