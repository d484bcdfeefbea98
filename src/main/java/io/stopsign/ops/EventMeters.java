package io.stopsign.ops;

import io.micrometer.core.instrument.Counter;

/** Operational events that could not be stored: counted, so a lost audit trail is visible. */
public final class EventMeters {
  public static final String UNSTORED = "stopsign_events_unstored";

  private EventMeters() {}

  /** Counts one event of {@code kind} for {@code camera} that persistence did not acknowledge. */
  public static void unstored(String camera, String kind) {
    Counter.builder(UNSTORED)
        .description(
            "Events (source_state, zone_entry, watchdog, ...) persistence did not acknowledge: not stored")
        .tag("camera", camera)
        .tag("kind", kind)
        .register(Meters.registry())
        .increment();
  }
}
