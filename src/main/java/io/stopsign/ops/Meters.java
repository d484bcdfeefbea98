package io.stopsign.ops;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The one Prometheus registry of the process. Vert.x's own metrics are bound to it at start-up
 * ({@code Service}); stages register their meters here, names prefixed {@code stopsign_}.
 */
public final class Meters {
  /**
   * Micrometer's standard JVM and process meter names: exported unprefixed ({@code jvm_*}, {@code
   * process_*}, {@code system_*}) so stock JVM dashboards and alerts work on them as they are.
   */
  static final List<String> STANDARD_PREFIXES = List.of("jvm.", "process.", "system.");

  // histograms keep the trace id of a sampled frame as exemplar (OpenMetrics scrapes show it)
  private static final PrometheusMeterRegistry REGISTRY =
      new PrometheusMeterRegistry(
          PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, new TraceExemplars());

  static {
    // Every other name, Vert.x's own included, starts with stopsign_.
    REGISTRY
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return exportedName(id.getName()).equals(id.getName())
                    ? id
                    : id.withName(exportedName(id.getName()));
              }
            });
    new JvmMemoryMetrics().bindTo(REGISTRY);
    new JvmGcMetrics().bindTo(REGISTRY);
    new JvmThreadMetrics().bindTo(REGISTRY);
    new JvmInfoMetrics().bindTo(REGISTRY);
    new ClassLoaderMetrics().bindTo(REGISTRY);
    new ProcessorMetrics().bindTo(REGISTRY);
    new UptimeMetrics().bindTo(REGISTRY);
    new FileDescriptorMetrics().bindTo(REGISTRY);
    Metrics.addRegistry(REGISTRY);
  }

  /** The Micrometer name a meter is exported under: standard JVM names kept, others prefixed. */
  static String exportedName(String name) {
    if (name.startsWith("stopsign") || STANDARD_PREFIXES.stream().anyMatch(name::startsWith)) {
      return name;
    }
    return "stopsign." + name;
  }

  public static MeterRegistry registry() {
    return REGISTRY;
  }

  public static PrometheusMeterRegistry prometheus() {
    return REGISTRY;
  }

  private Meters() {}
}
