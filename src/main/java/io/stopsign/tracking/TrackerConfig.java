package io.stopsign.tracking;

import io.stopsign.config.ConfigReader;

/**
 * ByteTrack settings. Defaults are the reference ByteTrack values (track_thresh 0.5, new tracks
 * above 0.6, match_thresh 0.8, a 30-frame buffer at 30 fps), with the buffer in seconds.
 *
 * @param highScore detections at or above it take part in the first association
 * @param lowScore detections from it up to {@code highScore} only keep existing tracks alive
 * @param newTrackScore an unmatched high detection at or above it starts a track
 * @param matchCost most {@code 1 - IoU * score} for a first-stage match
 * @param lowMatchCost most {@code 1 - IoU} for a second-stage (low-score) match
 * @param unconfirmedMatchCost most {@code 1 - IoU * score} for a tentative track's match
 * @param lostSeconds how long a track unseen is kept to be found again
 * @param confirmHits detections a new track needs before it is reported (and gets its id)
 * @param nominalFps the frame rate the Kalman noise weights are scaled from
 * @param duplicateIou detections overlapping a higher-scored one this much are one vehicle under
 *     two labels (detectors suppress overlaps per class only) and are dropped
 */
public record TrackerConfig(
    double highScore,
    double lowScore,
    double newTrackScore,
    double matchCost,
    double lowMatchCost,
    double unconfirmedMatchCost,
    double lostSeconds,
    int confirmHits,
    double nominalFps,
    double duplicateIou) {

  public static final TrackerConfig DEFAULTS =
      new TrackerConfig(0.5, 0.1, 0.6, 0.8, 0.5, 0.7, 1.0, 2, 30, 0.7);

  public TrackerConfig {
    if (!(lowScore >= 0 && lowScore <= highScore && highScore <= 1)) {
      throw new IllegalArgumentException(
          "tracker scores must satisfy 0 <= low_score <= high_score <= 1, got low "
              + lowScore
              + " high "
              + highScore);
    }
    if (!(lostSeconds >= 0)
        || confirmHits < 1
        || !(nominalFps > 0)
        || !(duplicateIou > 0 && duplicateIou <= 1)) {
      throw new IllegalArgumentException(
          "tracker lost_seconds, confirm_hits, nominal_fps or duplicate_iou out of range");
    }
  }

  /** Reads a {@code tracker} section; every key optional. */
  public static TrackerConfig from(ConfigReader r) {
    TrackerConfig d = DEFAULTS;
    double high = r.number("high_score", d.highScore, 0, 1);
    TrackerConfig c =
        new TrackerConfig(
            high,
            r.number("low_score", Math.min(d.lowScore, high), 0, high),
            r.number("new_track_score", d.newTrackScore, 0, 1),
            r.number("match_cost", d.matchCost, 0, 1),
            r.number("low_match_cost", d.lowMatchCost, 0, 1),
            r.number("unconfirmed_match_cost", d.unconfirmedMatchCost, 0, 1),
            r.number("lost_seconds", d.lostSeconds, 0, 60),
            r.integer("confirm_hits", d.confirmHits, 1, 30),
            r.number("nominal_fps", d.nominalFps, 1, 240),
            r.number("duplicate_iou", d.duplicateIou, 0.01, 1));
    r.done();
    return c;
  }
}
