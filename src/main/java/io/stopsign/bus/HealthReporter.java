package io.stopsign.bus;

import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.Status;
import java.util.function.Supplier;

/**
 * Publishes one check's status every second for the verticle that owns the check; readers keep the
 * latest report and call a check down when reports stop coming.
 */
public final class HealthReporter {
  public static final long INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final String check;
  private final String node;
  private final Supplier<Status> status;
  private long timer = -1;

  public HealthReporter(Vertx vertx, String check, String node, Supplier<Status> status) {
    this.vertx = vertx;
    this.check = check;
    this.node = node;
    this.status = status;
  }

  /** Reports now and then every second; call on the owning verticle's context. */
  public HealthReporter start() {
    report();
    timer = vertx.setPeriodic(INTERVAL_MS, id -> report());
    return this;
  }

  public void report() {
    Status s = status.get();
    vertx
        .eventBus()
        .publish(
            Addresses.HEALTH,
            new HealthReport(check, node, s.isOk(), s.getData(), System.currentTimeMillis() / 1e3));
  }

  public void stop() {
    vertx.cancelTimer(timer);
    timer = -1;
  }
}
