package io.stopsign.web;

import io.stopsign.bus.Addresses;
import io.stopsign.bus.HealthReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The web node's view of readiness across the cluster: the latest {@link HealthReport} of each
 * check, each shown with the time it is based on. An expected check (each camera, the database)
 * with no fresh report is DOWN; another check is shown while its node reports and for a while after
 * it stops. Owned by one verticle and used on its context only.
 */
public final class HealthBoard {
  /** A report older than this is not trusted: its node may be gone. */
  static final double STALE_S = 5.0;

  /** A check nobody expects is forgotten this long after its last report. */
  static final double FORGET_S = 20.0;

  private final Vertx vertx;
  private final Set<String> expected;
  private String onlyNode;
  private final Map<String, HealthReport> latest = new HashMap<>();
  private final HealthChecks checks;
  private MessageConsumer<HealthReport> consumer;

  /**
   * @param expected checks that must report (camera.&lt;id&gt; of each camera, db)
   * @param emptyReason when no camera is configured: the reason /ready gives for it
   */
  public HealthBoard(Vertx vertx, List<String> expected, String emptyReason) {
    this.vertx = vertx;
    this.expected = new LinkedHashSet<>(expected);
    this.checks = HealthChecks.create(vertx);
    for (String check : expected) {
      checks.register(check, promise -> promise.complete(status(check)));
    }
    if (emptyReason != null) {
      checks.register(
          "cameras",
          promise -> promise.complete(Status.KO(new JsonObject().put("reason", emptyReason))));
    }
  }

  /** Keeps only the reports this node makes: readiness of a process, not of the cluster. */
  public HealthBoard onlyFrom(String node) {
    onlyNode = node;
    return this;
  }

  /** Starts listening; call on the owning verticle's context. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.HEALTH, message -> onReport(message.body()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The checks served at /ready. */
  public HealthChecks checks() {
    return checks;
  }

  /** The status of one check now. */
  public Future<CheckResult> check(String name) {
    return checks.checkStatus(name);
  }

  private void onReport(Object body) {
    if (!(body instanceof HealthReport report)) {
      return; // a foreign message on the health address says nothing about readiness
    }
    if (onlyNode != null && !onlyNode.equals(report.node())) {
      return;
    }
    HealthReport before = latest.get(report.check());
    if (before != null && before.tsUtc() > report.tsUtc() && before.node().equals(report.node())) {
      return; // reordered: keep the newer view
    }
    boolean isNew = before == null;
    latest.put(report.check(), report);
    if (isNew && !expected.contains(report.check())) {
      checks.register(report.check(), promise -> promise.complete(status(report.check())));
    }
    forgetOld();
  }

  private void forgetOld() {
    double now = now();
    latest
        .values()
        .removeIf(
            r -> {
              boolean forget = !expected.contains(r.check()) && now - r.tsUtc() > FORGET_S;
              if (forget) {
                checks.unregister(r.check());
              }
              return forget;
            });
  }

  private Status status(String check) {
    HealthReport report = latest.get(check);
    if (report == null) {
      return Status.KO(new JsonObject().put("reason", "no report yet from the node that runs it"));
    }
    JsonObject data =
        report.data().copy().put("node", report.node()).put("reported_ts_utc", report.tsUtc());
    double age = now() - report.tsUtc();
    if (age > STALE_S) {
      return Status.KO(
          data.put(
              "reason",
              String.format("no report for %.0f s: node %s may be gone", age, report.node())));
    }
    return report.up() ? Status.OK(data) : Status.KO(data);
  }

  private static double now() {
    return System.currentTimeMillis() / 1e3;
  }
}
