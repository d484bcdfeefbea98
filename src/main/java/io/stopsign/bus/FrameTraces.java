package io.stopsign.bus;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One trace per sampled frame across the stages: the sampled frame's W3C {@code traceparent} rides
 * in the event-bus message headers (so it also crosses JVMs), and each stage opens its span as a
 * child of it. Frames the sampler leaves out carry no header, so later stages open no span at all.
 * The tracer is process-wide like the metrics registry; it is a no-op until the service installs
 * one ({@code otel.endpoint}).
 */
public final class FrameTraces {
  /** The event-bus header that carries the frame's trace context. */
  public static final String HEADER = "traceparent";

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapSetter<Map<String, String>> SET = Map::put;
  private static final TextMapGetter<String> GET =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
          return HEADER.equals(key) ? carrier : null;
        }
      };
  private static volatile Tracer tracer = OpenTelemetry.noop().getTracer("stopsign");

  /** Installs the service's telemetry (or {@link OpenTelemetry#noop()} to switch tracing off). */
  public static void install(OpenTelemetry telemetry) {
    tracer = telemetry.getTracer("io.stopsign");
  }

  /**
   * Starts the root span of a frame; the sampler decides whether the frame is traced. It starts at
   * the capture time when that is a recent wall-clock time, so it covers capture to hand-off.
   */
  public static Span startFrame(String name, String camera, long seq, double tsUtc) {
    SpanBuilder builder =
        tracer
            .spanBuilder(name)
            .setNoParent()
            .setAttribute("camera", camera)
            .setAttribute("frame", seq);
    long captured = (long) (tsUtc * 1e6);
    long now = System.currentTimeMillis() * 1000;
    if (captured > now - 5_000_000L && captured <= now) {
      builder.setStartTimestamp(captured, TimeUnit.MICROSECONDS);
    }
    return builder.startSpan();
  }

  /**
   * Starts a stage span under the frame's {@code traceparent}; without one (an unsampled frame)
   * returns the invalid span, whose end and attributes cost nothing.
   */
  public static Span startStage(String name, String traceparent) {
    return startStage(name, traceparent, List.of());
  }

  /** A stage span that serves several frames: a child of the first, linked to the others. */
  public static Span startStage(String name, String traceparent, List<String> linked) {
    SpanContext parent = extract(traceparent);
    if (!parent.isValid()) {
      return Span.getInvalid();
    }
    SpanBuilder builder =
        tracer.spanBuilder(name).setParent(Context.root().with(Span.wrap(parent)));
    for (String other : linked) {
      SpanContext link = extract(other);
      if (link.isValid()) {
        builder.addLink(link);
      }
    }
    return builder.startSpan();
  }

  private static SpanContext extract(String traceparent) {
    if (traceparent == null) {
      return SpanContext.getInvalid();
    }
    return Span.fromContext(W3C.extract(Context.root(), traceparent, GET)).getSpanContext();
  }

  /** The {@code traceparent} of a sampled span, or null when the span is not traced. */
  public static String traceparent(Span span) {
    SpanContext context = span.getSpanContext();
    if (!context.isValid() || !context.isSampled()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(2);
    W3C.inject(Context.root().with(span), carrier, SET);
    return carrier.get(HEADER);
  }

  /**
   * Adds the span's trace context to the delivery options when the span is traced. It goes first,
   * so the next stage is the child of this one even when Vert.x adds its own hop span and header.
   */
  public static DeliveryOptions carry(DeliveryOptions options, Span span) {
    String traceparent = traceparent(span);
    if (traceparent != null) {
      options.addHeader(HEADER, traceparent);
    }
    return options;
  }

  /** The trace context a message carries, or null. */
  public static String of(Message<?> message) {
    MultiMap headers = message.headers();
    return headers == null ? null : headers.get(HEADER);
  }

  private FrameTraces() {}
}
