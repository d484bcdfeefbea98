package io.stopsign.ops;

import io.micrometer.core.instrument.Gauge;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The staleness chain: {@code stopsign_last_timestamp_seconds{camera,stage}} holds the capture time
 * (ts_utc, epoch seconds) of the latest frame each stage handled, so an alert can name the stage
 * where time stopped moving. Stages: decode, infer, track, ws_emit, db_write. Every stage marks
 * through here, so the gauge is built one way.
 */
public final class StageTimestamps {
  public static final String METRIC = "stopsign_last_timestamp_seconds";

  private static final ConcurrentHashMap<String, AtomicLong> LATEST = new ConcurrentHashMap<>();

  /** Records that {@code stage} handled the frame captured at {@code tsUtc} for {@code camera}. */
  public static void mark(String camera, String stage, double tsUtc) {
    LATEST
        .computeIfAbsent(camera + '\u0000' + stage, key -> register(camera, stage))
        .set(Double.doubleToRawLongBits(tsUtc));
  }

  /** The last recorded capture time, or NaN when the stage never handled a frame of the camera. */
  public static double latest(String camera, String stage) {
    AtomicLong bits = LATEST.get(camera + '\u0000' + stage);
    return bits == null ? Double.NaN : Double.longBitsToDouble(bits.get());
  }

  /**
   * Removes the stage's gauge for the camera (its stage stopped); a later mark registers it anew.
   */
  public static void forget(String camera, String stage) {
    if (LATEST.remove(camera + '\u0000' + stage) != null) {
      Meters.registry()
          .find(METRIC)
          .tags("camera", camera, "stage", stage)
          .meters()
          .forEach(Meters.registry()::remove);
    }
  }

  private static AtomicLong register(String camera, String stage) {
    AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    Gauge.builder(METRIC, bits, b -> Double.longBitsToDouble(b.get()))
        .description("Capture time (epoch s) of the latest frame handled by the stage")
        .tag("camera", camera)
        .tag("stage", stage)
        .register(Meters.registry());
    return bits;
  }

  private StageTimestamps() {}
}
