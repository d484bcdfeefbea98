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
   * detectors score a clear car 0.5-0.9, CenterNet 0.3-0.6, so the YOLO thresholds would let
   * CenterNet start almost no track (measured by {@code bench --accuracy}; README "Tracker
   * thresholds").
   */
  public static TrackerConfig forFamily(String family) {
    return switch (family) {
      case "centernet", "nanodet" ->
          DEFAULTS
              .withScores(CENTERNET_HIGH, CENTERNET_LOW, CENTERNET_NEW)
              .withMatchCosts(CENTERNET_MATCH_COST, CENTERNET_UNCONFIRMED_MATCH_COST);
      case "fastestdet" -> DEFAULTS.withScores(FASTESTDET_HIGH, FASTESTDET_LOW, FASTESTDET_NEW);
      default -> DEFAULTS;
    };
  }

  static final double CENTERNET_HIGH = 0.35;
  static final double CENTERNET_LOW = 0.1;
  static final double CENTERNET_NEW = 0.4;
  // The fused cost is 1 - IoU x score: at CenterNet's ~0.4 scores 0.8 asks IoU >= 0.5 between
  // frames, which a fast close car misses and so gets a new id (bench --accuracy: 2.3 -> 0.8
  // switches per 100 track-seconds).
  static final double CENTERNET_MATCH_COST = 0.9;
  static final double CENTERNET_UNCONFIRMED_MATCH_COST = 0.85;
  static final double FASTESTDET_HIGH = 0.5;
  static final double FASTESTDET_LOW = 0.1;
  static final double FASTESTDET_NEW = 0.6;

  /** This configuration with other score thresholds. */
  public TrackerConfig withScores(double high, double low, double newTrack) {
    return new TrackerConfig(
        high,
        low,
        newTrack,
        matchCost,
        lowMatchCost,
        unconfirmedMatchCost,
        lostSeconds,
        confirmHits,
        nominalFps,
        duplicateIou,
        recoverDistance,
        recoverSizeRatio,
        lostLowDistance,
        cutReach);
  }

  /** This configuration with other first-stage and tentative-track match costs. */
  public TrackerConfig withMatchCosts(double match, double unconfirmedMatch) {
    return new TrackerConfig(
        highScore,
        lowScore,
        newTrackScore,
        match,
        lowMatchCost,
        unconfirmedMatch,
        lostSeconds,
        confirmHits,
        nominalFps,
        duplicateIou,
        recoverDistance,
        recoverSizeRatio,
        lostLowDistance,
        cutReach);
  }

  /** This configuration with another recovery gate (centre distance in box heights, size ratio). */
  public TrackerConfig withRecovery(double distance, double sizeRatio) {
    return new TrackerConfig(
        highScore,
        lowScore,
        newTrackScore,
        matchCost,
        lowMatchCost,
        unconfirmedMatchCost,
        lostSeconds,
        confirmHits,
        nominalFps,
        duplicateIou,
        distance,
        sizeRatio,
        lostLowDistance,
        cutReach);
  }

  /** This configuration with another gate for lost tracks' low-score boxes. */
  public TrackerConfig withLostLow(double distance) {
    return new TrackerConfig(
        highScore,
        lowScore,
        newTrackScore,
        matchCost,
        lowMatchCost,
        unconfirmedMatchCost,
        lostSeconds,
        confirmHits,
        nominalFps,
        duplicateIou,
        recoverDistance,
        recoverSizeRatio,
        distance,
        cutReach);
  }

  /** This configuration with another reach ahead for tracks cut by an occluder. */
  public TrackerConfig withCutReach(double reach) {
    return new TrackerConfig(
        highScore,
        lowScore,
        newTrackScore,
        matchCost,
        lowMatchCost,
        unconfirmedMatchCost,
        lostSeconds,
        confirmHits,
        nominalFps,
        duplicateIou,
        recoverDistance,
        recoverSizeRatio,
        lostLowDistance,
        reach);
  }

  /** Reads a {@code tracker} section for a YOLO-like detector; every key optional. */
  public static TrackerConfig from(ConfigReader r) {
    return from(r, "yolov8");
  }

  /**
   * Reads a {@code tracker} section; every key optional. The score and match-cost keys take a
   * number or {@code auto} (the default): the value that suits {@code family}'s scores ({@link
   * #forFamily}).
   */
  public static TrackerConfig from(ConfigReader r, String family) {
    TrackerConfig d = forFamily(family);
    double high = score(r, "high_score", d.highScore, 1);
    TrackerConfig c =
        new TrackerConfig(
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
    r.done();
    return c;
  }

  private static double score(ConfigReader r, String name, double auto, double max) {
    Object v = r.raw(name);
    return v == null || "auto".equals(v) ? auto : r.number(name, auto, 0, max);
  }
}
