package io.stopsign.judge;

import io.stopsign.bus.Addresses;
import io.stopsign.camera.Sample;
import io.stopsign.inference.Detection;
import io.stopsign.inference.Detections;
import io.vertx.core.Vertx;
import java.util.List;

/** Feeds a tracking verticle detector results made from simulated samples, as inference would. */
final class TrackerFeed {
  /** Empty frames after the samples: enough for the tracker to end the track and close its pass. */
  private static final int EMPTY_AFTER = 60;

  /** Sends each sample as one car on {@code camera}, then empty frames a minute later. */
  static void send(Vertx vertx, String camera, String run, List<Sample> samples) {
    for (int i = 0; i < samples.size(); i++) {
      vertx.eventBus().send(Addresses.detections(camera), frame(camera, run, i, samples.get(i)));
    }
    for (int i = samples.size(); i < samples.size() + EMPTY_AFTER; i++) {
      vertx.eventBus().send(Addresses.detections(camera), frame(camera, run, i, null));
    }
  }

  private static Detections frame(String camera, String run, long seq, Sample s) {
    List<Detection> items =
        s == null
            ? List.of()
            : List.of(
                new Detection(
                    2,
                    "car",
                    0.9f,
                    (float) s.x1(),
                    (float) s.y1(),
                    (float) s.x2(),
                    (float) s.y2()));
    double t = s == null ? TrajectorySimulator.T0 + 60 + seq / 30.0 : s.t();
    return new Detections(camera, run, seq, t, 1280, 720, 352, 352, items, 1_000_000);
  }

  private TrackerFeed() {}
}
