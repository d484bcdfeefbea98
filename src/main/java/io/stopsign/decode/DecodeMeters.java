package io.stopsign.decode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stopsign.ops.Meters;
import io.stopsign.ops.StageTimestamps;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The decode stage's meters of one camera, in the one Prometheus registry. */
final class DecodeMeters {
  private final String camera;
  private final Counter frames;
  private final Counter reconnects;
  private final Counter errors;
  private final Counter skipped;
  private final Timer handoff;

  DecodeMeters(String camera) {
    this.camera = camera;
    MeterRegistry registry = Meters.registry();
    frames =
        Counter.builder("stopsign_frames_decoded")
            .description("Frames decoded and scaled for inference")
            .tag("camera", camera)
            .register(registry);
    reconnects =
        Counter.builder("stopsign_decode_reconnects")
            .description("Reconnects of the camera source after a failure or its end")
            .tag("camera", camera)
            .register(registry);
    errors =
        Counter.builder("stopsign_decode_errors")
            .description("Source failures (open, read, timeout) and undecodable packets")
            .tag("camera", camera)
            .register(registry);
    skipped =
        Counter.builder("stopsign_frames_skipped")
            .description("Frames decoded but not scaled: the busy detector would take a newer one")
            .tag("camera", camera)
            .register(registry);
    handoff =
        Timer.builder("stopsign_decode_latency")
            .description(
                "Capture to hand-off to inference: reading, decoding and scaling one frame")
            .tag("camera", camera)
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /**
   * A frame captured at {@code tsUtc} was just handed on; recorded under the current span, so a
   * sampled frame leaves its trace id as the exemplar. A capture time not in the last minute (a
   * file's own clock) is not a latency and is left out.
   */
  void handedOff(double tsUtc) {
    double age = System.currentTimeMillis() / 1000.0 - tsUtc;
    if (age >= 0 && age < 60) {
      handoff.record((long) (age * 1e9), TimeUnit.NANOSECONDS);
    }
  }

  void frame(double tsUtc) {
    frames.increment();
    StageTimestamps.mark(camera, "decode", tsUtc);
  }

  void skipped(long n) {
    if (n > 0) {
      skipped.increment(n);
    }
  }

  void reconnect() {
    reconnects.increment();
  }

  void errors(long n) {
    if (n > 0) {
      errors.increment(n);
    }
  }

  void close() {
    MeterRegistry registry = Meters.registry();
    registry.remove(frames);
    registry.remove(reconnects);
    registry.remove(errors);
    registry.remove(skipped);
    registry.remove(handoff);
  }
}
