package io.stopsign.tracking;

import io.stopsign.inference.Detection;
import java.util.List;

/**
 * Notices a tracker starved by its thresholds: frame after frame the detector finds vehicles but
 * none scores high enough to start a track (a detector whose scores sit below {@code
 * new_track_score}), so nothing is ever tracked. Says so once, with the scores seen.
 */
final class StarvedTracker {
  static final int FRAMES = 300; // ~10 s at 30 fps

  private final TrackerConfig config;
  private int starvedFrames;
  private float bestScore;
  private boolean told;

  StarvedTracker(TrackerConfig config) {
    this.config = config;
  }

  /** Feeds one frame; returns the warning the first time the tracker has starved long enough. */
  String observe(List<Detection> detections, int tracks) {
    float best = 0;
    for (Detection d : detections) {
      best = Math.max(best, d.score());
    }
    if (told || tracks > 0 || detections.isEmpty() || best >= config.newTrackScore()) {
      starvedFrames = tracks > 0 || best >= config.newTrackScore() ? 0 : starvedFrames;
      return null;
    }
    bestScore = Math.max(bestScore, best);
    if (++starvedFrames < FRAMES) {
      return null;
    }
    told = true;
    return String.format(
        "%d frames with detections and no track: the best detection scored %.2f, below"
            + " tracker.new_track_score %.2f; set tracker.*_score to auto or to this model's scale",
        starvedFrames, bestScore, config.newTrackScore());
  }
}
