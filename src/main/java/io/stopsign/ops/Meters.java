package io.stopsign.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one Prometheus registry of the process. Vert.x's own metrics are bound to it at start-up
 * ({@code Launcher}); stages register their meters here, names prefixed {@code stopsign_}.
 */
public final class Meters {
  private static final PrometheusMeterRegistry REGISTRY =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  static {
    Metrics.addRegistry(REGISTRY);
  }

  public static MeterRegistry registry() {
    return REGISTRY;
  }

  public static PrometheusMeterRegistry prometheus() {
    return REGISTRY;
  }

  private Meters() {}
}
