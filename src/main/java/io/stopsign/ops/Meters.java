package io.stopsign.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
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
    // Every exported name starts with stopsign_, Vert.x's and the JVM's own included.
    REGISTRY
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith("stopsign")
                    ? id
                    : id.withName("stopsign." + id.getName());
              }
            });
    new JvmMemoryMetrics().bindTo(REGISTRY);
    new JvmGcMetrics().bindTo(REGISTRY);
    new JvmThreadMetrics().bindTo(REGISTRY);
    new ProcessorMetrics().bindTo(REGISTRY);
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
