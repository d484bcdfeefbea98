package io.stopsign.ops;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Tells the Prometheus client which trace is current when a histogram records, so a bucket keeps
 * the trace id of a sampled frame as its exemplar ({@code # {trace_id="..."}} in OpenMetrics). The
 * recording code makes the frame's span current around the record; no span, no exemplar.
 */
final class TraceExemplars implements io.prometheus.metrics.tracer.common.SpanContext {
  private static SpanContext current() {
    return Span.current().getSpanContext();
  }

  @Override
  public String getCurrentTraceId() {
    SpanContext context = current();
    return context.isValid() ? context.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    SpanContext context = current();
    return context.isValid() ? context.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    SpanContext context = current();
    return context.isValid() && context.isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    // the span says it is an exemplar, so a trace search can find the traces metrics point at
    Span.current().setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
  }
}
