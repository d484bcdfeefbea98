package io.stopsign.inference;

import java.util.List;

/** What inference found in one frame; boxes in raw camera pixels. Local to the analyzer JVM. */
public record Detections(
    String camera,
    String runId,
    long seq,
    double tsUtc,
    int rawWidth,
    int rawHeight,
    int scaledWidth,
    int scaledHeight,
    List<Detection> items,
    long inferNanos) {

  public Detections {
    items = List.copyOf(items);
  }
}
