package io.stopsign.tracking;

import io.stopsign.config.ConfigReader;
import java.util.Map;

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
 * @param recoverDistance most distance, in box heights, between an unmatched confirmed track's
 *     predicted centre and a confident detection left over for the track to take it (0: off)
 * @param recoverSizeRatio most ratio of the larger to the smaller height for that match
 * @param lostLowDistance most distance, in box heights, between a lost confirmed track's predicted
 *     centre and a low-score detection left over for the track to take it (0: off)
 * @param cutReach how many times the width a confirmed track's box lost while its height held (an
 *     occluder cut the car's front) the {@code recoverDistance} gate reaches ahead of its motion
 *     (0: off)
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
    double duplicateIou,
    double recoverDistance,
    double recoverSizeRatio,
    double lostLowDistance,
    double cutReach) {

  // A track lost by IoU (a small box moving several pixels a frame, a car out of sight behind a
  // post, a box that changes size between the whole picture and a tile) is still found again by
  // where it should be, when one confident detection lies that close and is of its size.
  static final double RECOVER_DISTANCE = 0.5;
  static final double RECOVER_SIZE_RATIO = 1.5;
  // A far car's scores can sit under high_score for a second: its lost track takes a low-score box
  // only this close to where it should be, so that it is not ended and started again.
  static final double LOST_LOW_DISTANCE = 0.3;
  // A car passing behind a post loses its front first: its box narrows, the predicted centre lags,
  // and the front reappears beyond the post about the hidden width ahead.
  static final double CUT_REACH = 1.0;

  public static final TrackerConfig DEFAULTS =
      new TrackerConfig(
          0.5,
          0.1,
          0.6,
          0.8,
          0.5,
          0.7,
          1.0,
          2,
          30,
          0.7,
          RECOVER_DISTANCE,
          RECOVER_SIZE_RATIO,
          LOST_LOW_DISTANCE,
          CUT_REACH);

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
        || !(duplicateIou > 0 && duplicateIou <= 1)
        || !(recoverDistance >= 0)
        || !(recoverSizeRatio >= 1)
        || !(lostLowDistance >= 0)
        || !(cutReach >= 0)) {
      throw new IllegalArgumentException(
          "tracker lost_seconds, confirm_hits, nominal_fps, duplicate_iou, recover_distance,"
              + " recover_size_ratio, lost_low_distance or cut_reach out of range");
    }
  }

  /**
   * The defaults with score thresholds on the scale of a detector family's scores: YOLO-like
   * detectors (YOLOv8, YOLOX, FastestDet) score a clear car 0.5-0.9, CenterNet and NanoDet 0.3-0.6,
   * so the YOLO thresholds would let CenterNet start almost no track (measured by {@code bench
   * --accuracy}; README "Tracker thresholds").
   */
  public static TrackerConfig forFamily(String family) {
    return switch (family) {
      case "centernet", "nanodet" -> CENTERNET;
      default -> DEFAULTS;
    };
  }

  // The fused cost is 1 - IoU x score: at CenterNet's ~0.4 scores 0.8 asks IoU >= 0.5 between
  // frames, which a fast close car misses and so gets a new id (bench --accuracy: 2.3 -> 0.8
  // switches per 100 track-seconds).
  private static final TrackerConfig CENTERNET =
      read(
          ConfigReader.of(
              "tracker",
              Map.of(
                  "high_score", 0.35,
                  "low_score", 0.1,
                  "new_track_score", 0.4,
                  "match_cost", 0.9,
                  "unconfirmed_match_cost", 0.85)),
          DEFAULTS);

  /**
   * Reads a {@code tracker} section; every key optional. The score and match-cost keys take a
   * number or {@code auto} (the default): the value that suits {@code family}'s scores ({@link
   * #forFamily}).
   */
  public static TrackerConfig from(ConfigReader r, String family) {
    TrackerConfig c = read(r, forFamily(family));
    r.done();
    return c;
  }

  /** The keys {@code r} sets over {@code d}. */
  private static TrackerConfig read(ConfigReader r, TrackerConfig d) {
    double high = score(r, "high_score", d.highScore, 1);
    return new TrackerConfig(
        high,
        score(r, "low_score", Math.min(d.lowScore, high), high),
        score(r, "new_track_score", d.newTrackScore, 1),
        score(r, "match_cost", d.matchCost, 1),
        r.number("low_match_cost", d.lowMatchCost, 0, 1),
        score(r, "unconfirmed_match_cost", d.unconfirmedMatchCost, 1),
        r.number("lost_seconds", d.lostSeconds, 0, 60),
        r.integer("confirm_hits", d.confirmHits, 1, 30),
        r.number("nominal_fps", d.nominalFps, 1, 240),
        r.number("duplicate_iou", d.duplicateIou, 0.01, 1),
        r.number("recover_distance", d.recoverDistance, 0, 10),
        r.number("recover_size_ratio", d.recoverSizeRatio, 1, 10),
        r.number("lost_low_distance", d.lostLowDistance, 0, 10),
        r.number("cut_reach", d.cutReach, 0, 10));
  }

  private static double score(ConfigReader r, String name, double auto, double max) {
    Object v = r.raw(name);
    return v == null || "auto".equals(v) ? auto : r.number(name, auto, 0, max);
  }
}
