package io.stopsign.persist;

import io.opentelemetry.api.trace.Span;
import io.stopsign.bus.FrameTraces;
import io.stopsign.tracking.FrameMetadata;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace context of sampled frames waiting for their detection batch. A batch holds many frames,
 * so its {@code db_write} span joins the trace of the first sampled frame in it and is linked to
 * the others. Used on the persist verticle's event loop only.
 */
final class BatchTraces {
  private final Map<FrameMetadata, String> waiting = new IdentityHashMap<>();
  private final List<String> batch = new ArrayList<>();

  /** Notes a queued frame's trace context (null for an unsampled frame). */
  void queued(FrameMetadata frame, String traceparent) {
    if (traceparent != null) {
      waiting.put(frame, traceparent);
    }
  }

  /** A frame left the queue unwritten (dropped as the oldest). */
  void dropped(FrameMetadata frame) {
    waiting.remove(frame);
  }

  /** A frame went into the batch being built. */
  void batched(FrameMetadata frame) {
    String traceparent = waiting.remove(frame);
    if (traceparent != null) {
      batch.add(traceparent);
    }
  }

  /** Starts the built batch's {@code db_write} span (invalid when no frame in it is sampled). */
  Span startWrite(int rows) {
    if (batch.isEmpty()) {
      return Span.getInvalid();
    }
    Span span = FrameTraces.startStage("db_write", batch.get(0), batch.subList(1, batch.size()));
    span.setAttribute("rows", rows);
    batch.clear();
    return span;
  }
}
