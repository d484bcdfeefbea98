package io.stopsign;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.stopsign.bus.FrameTraces;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's OpenTelemetry: an SDK exporting spans over OTLP/HTTP when {@code otel.endpoint} is
 * set, handed to Vert.x (HTTP requests) and to the frame stages ({@link FrameTraces}); nothing at
 * all otherwise.
 */
final class Telemetry {
  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  private final SdkTracerProvider provider;

  private Telemetry(SdkTracerProvider provider) {
    this.provider = provider;
  }

  /** Builds the SDK if tracing is on and wires it into the Vert.x builder and the frame stages. */
  static Telemetry install(
      StopSignConfig config, String node, VertxOptions options, VertxBuilder builder) {
    OtelConfig otel = config.otel();
    if (!otel.enabled()) {
      return new Telemetry(null);
    }
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        "stopsign",
                        AttributeKey.stringKey("node"),
                        node,
                        AttributeKey.stringKey("role"),
                        String.join(",", new TreeSet<>(config.roles())))));
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(otel.sampleRatio())))
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(otel.tracesUrl()).build())
                    .setScheduleDelay(Duration.ofSeconds(1))
                    .build())
            .build();
    OpenTelemetry sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    FrameTraces.install(sdk);
    options.setTracingOptions(new OpenTelemetryOptions());
    builder.withTracer(new OpenTelemetryTracingFactory(sdk));
    LOG.info("tracing to {} (sample ratio {})", otel.tracesUrl(), otel.sampleRatio());
    return new Telemetry(provider);
  }

  /** Sends the spans still buffered and stops exporting. */
  void close() {
    if (provider == null) {
      return;
    }
    FrameTraces.install(OpenTelemetry.noop());
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
