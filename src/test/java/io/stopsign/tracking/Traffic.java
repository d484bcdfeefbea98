package io.stopsign.tracking;

import io.stopsign.config.ConfigReader;
import io.stopsign.inference.Detection;
import io.stopsign.judge.TrackedBox;
import java.util.List;
import java.util.Map;

/**
 * Synthetic detections for tracker tests (boxes by centre and size, raw pixels) and the tracker
 * settings they run under.
 */
final class Traffic {
  static final double FPS = 30;
  static final double T0 = 1_726_179_150.0;

  static Detection car(double cx, double cy, double w, double h, double score) {
    return of("car", cx, cy, w, h, score);
  }

  static Detection of(String label, double cx, double cy, double w, double h, double score) {
    return new Detection(
        label.equals("truck") ? 7 : 2,
        label,
        (float) score,
        (float) (cx - w / 2),
        (float) (cy - h / 2),
        (float) (cx + w / 2),
        (float) (cy + h / 2));
  }

  /** {@code family}'s tracker settings with {@code keys} set as in the config's tracker section. */
  static TrackerConfig tracker(String family, Map<String, ?> keys) {
    return TrackerConfig.from(ConfigReader.of("tracker", keys), family);
  }

  static double ts(int frame) {
    return T0 + frame / FPS;
  }

  /** The reported track whose box centre is nearest to (cx, cy), or null when none is reported. */
  static TrackedBox nearest(List<TrackedBox> tracks, double cx, double cy) {
    TrackedBox best = null;
    double bestDistance = Double.MAX_VALUE;
    for (TrackedBox t : tracks) {
      double d = Math.hypot(t.centerX() - cx, (t.y1() + t.y2()) / 2 - cy);
      if (d < bestDistance) {
        bestDistance = d;
        best = t;
      }
    }
    return best;
  }

  private Traffic() {}
}
