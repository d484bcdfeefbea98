package io.stopsign.tracking;

import io.stopsign.inference.Boxes;
import io.stopsign.inference.Detection;
import io.stopsign.judge.TrackedBox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * ByteTrack (Zhang et al. 2022) for one camera and one decode session: high-score detections are
 * matched to tracked and lost tracks by IoU fused with score, the leftover tracks then to low-score
 * detections by IoU, so a vehicle that fades (occlusion, blur) keeps its id. Time comes from the
 * frames' {@code ts_utc}, so dropped frames predict further and the lost buffer is in seconds. Ids
 * are given at confirmation and increase from 1. Not thread-safe: one instance per camera, in frame
 * order.
 */
public final class ByteTracker {
  // Share of a low-score box inside a tracked box that makes it part of that vehicle.
  static final double PART_OF_TRACKED = 0.8;

  // Tracks that overlap this much after an update are one object seen twice (ByteTrack's 0.15
  // cost).
  private static final double DUPLICATE_IOU = 0.85;

  private static final Comparator<Detection> BEST_FIRST =
      Comparator.comparingDouble(Detection::score).reversed();
  private static final Comparator<TrackedBox> BY_ID = Comparator.comparingLong(TrackedBox::id);

  private final TrackerConfig config;
  private List<Track> tracked = new ArrayList<>();
  private List<Track> lost = new ArrayList<>();
  private long nextId = 1;
  // working lists of update(), cleared and reused so that a frame's step allocates little
  private List<Track> spareTracked = new ArrayList<>();
  private List<Track> spareLost = new ArrayList<>();
  private final List<Detection> high = new ArrayList<>();
  private final List<Detection> low = new ArrayList<>();
  private final List<Detection> remaining = new ArrayList<>();
  private final List<Detection> lowLeft = new ArrayList<>();
  private final List<Detection> sorted = new ArrayList<>();
  private final List<Detection> kept = new ArrayList<>();
  private final List<Track> pool = new ArrayList<>();
  private final List<Track> unconfirmed = new ArrayList<>();
  private final List<Track> leftover = new ArrayList<>();
  private final List<Track> nowLost = new ArrayList<>();
  private final List<Long> ended = new ArrayList<>();
  private final List<TrackedBox> out = new ArrayList<>();
  private final List<Track> stillLost = new ArrayList<>();
  private final CostMatrix cost = new CostMatrix();
  private final LinearAssignment assignment = new LinearAssignment();
  private boolean[] highUsed = new boolean[16];
  private boolean[] lowUsed = new boolean[16];
  private boolean[] remainingUsed = new boolean[16];
  private boolean[] taken = new boolean[16];

  /** Confirmed tracks seen in this frame (sorted by id), and confirmed tracks dropped for good. */
  public record Update(List<TrackedBox> tracks, List<Long> ended) {}

  public ByteTracker(TrackerConfig config) {
    this.config = config;
  }

  /** Feeds one frame's detections (boxes in raw pixels) taken at {@code tsUtc} seconds. */
  public Update update(double tsUtc, List<Detection> detections) {
    if (!Double.isFinite(tsUtc)) {
      throw new IllegalArgumentException("frame timestamp must be finite, got " + tsUtc);
    }
    high.clear();
    low.clear();
    List<Detection> boxes = distinct(detections);
    for (int dIndex = 0; dIndex < boxes.size(); dIndex++) {
      Detection d = boxes.get(dIndex);
      (d.score() >= config.highScore() ? high : low).add(d);
    }
    pool.clear();
    unconfirmed.clear();
    for (int tIndex = 0; tIndex < tracked.size(); tIndex++) {
      Track t = tracked.get(tIndex);
      (t.confirmed() ? pool : unconfirmed).add(t);
    }
    for (int i = 0; i < lost.size(); i++) { // addAll would copy lost into a new array
      pool.add(lost.get(i));
    }
    for (int tIndex = 0; tIndex < pool.size(); tIndex++) {
      Track t = pool.get(tIndex);
      t.predictTo(tsUtc);
    }
    for (int tIndex = 0; tIndex < unconfirmed.size(); tIndex++) {
      Track t = unconfirmed.get(tIndex);
      t.predictTo(tsUtc);
    }

    List<Track> nowTracked = spareTracked;
    nowTracked.clear();
    nowLost.clear();
    ended.clear();
    leftover.clear();

    // First association: confirmed and lost tracks against high-score detections, IoU x score.
    int[] first = assignment.match(AssociationCost.fused(pool, high, cost), config.matchCost());
    highUsed = cleared(highUsed, high.size());
    for (int i = 0; i < pool.size(); i++) {
      Track t = pool.get(i);
      if (first[i] >= 0) {
        t.update(high.get(first[i]), tsUtc);
        highUsed[first[i]] = true;
        nowTracked.add(t);
      } else if (t.state() == Track.State.TRACKED) {
        leftover.add(t);
      } else {
        nowLost.add(t);
      }
    }

    // Second association: tracks still in sight against low-score detections, IoU only.
    int[] second =
        assignment.match(AssociationCost.iou(leftover, low, cost), config.lowMatchCost());
    lowUsed = cleared(lowUsed, low.size());
    for (int i = 0; i < leftover.size(); i++) {
      Track t = leftover.get(i);
      if (second[i] >= 0) {
        t.update(low.get(second[i]), tsUtc);
        lowUsed[second[i]] = true;
        nowTracked.add(t);
      } else {
        t.markLost();
        nowLost.add(t);
      }
    }

    remaining.clear();
    for (int j = 0; j < high.size(); j++) {
      if (!highUsed[j]) {
        remaining.add(high.get(j));
      }
    }
    recover(tsUtc, nowTracked, config.recoverDistance(), config.cutReach(), remaining);
    // Lost tracks against the low-score boxes left, at a stricter gate: a far car whose scores
    // sit under high_score for a while keeps its id.
    // A low box mostly inside a box tracked this frame is part of that vehicle (a weak detector's
    // second box over a close car): taking it would keep a duplicate track alive into the zone.
    lowLeft.clear();
    for (int j = 0; j < low.size(); j++) {
      if (!lowUsed[j] && !insideTracked(low.get(j), nowTracked)) {
        lowLeft.add(low.get(j));
      }
    }
    // No cut reach here: low-score boxes are loose, and a reach ahead let them swap ids.
    recover(tsUtc, nowTracked, config.lostLowDistance(), 0, lowLeft);

    // Tentative tracks against the high detections left; a miss ends them at once.
    int[] third =
        assignment.match(
            AssociationCost.fused(unconfirmed, remaining, cost), config.unconfirmedMatchCost());
    remainingUsed = cleared(remainingUsed, remaining.size());
    for (int i = 0; i < unconfirmed.size(); i++) {
      Track t = unconfirmed.get(i);
      if (third[i] >= 0) {
        t.update(remaining.get(third[i]), tsUtc);
        remainingUsed[third[i]] = true;
        confirmIfDue(t);
        nowTracked.add(t);
      } else {
        t.markRemoved();
      }
    }

    // New tracks from confident detections nobody claimed.
    for (int j = 0; j < remaining.size(); j++) {
      Detection d = remaining.get(j);
      if (!remainingUsed[j] && d.score() >= config.newTrackScore()) {
        Track t = new Track(d, tsUtc, config.nominalFps());
        confirmIfDue(t);
        nowTracked.add(t);
      }
    }

    // Lost tracks expire after the buffer, measured in seconds of capture time.
    List<Track> keptLost = spareLost;
    keptLost.clear();
    for (int tIndex = 0; tIndex < nowLost.size(); tIndex++) {
      Track t = nowLost.get(tIndex);
      if (tsUtc - t.lastSeenTs() > config.lostSeconds()) {
        end(t, ended);
      } else {
        keptLost.add(t);
      }
    }
    removeDuplicates(nowTracked, keptLost, ended);
    spareTracked = tracked;
    spareLost = lost;
    tracked = nowTracked;
    lost = keptLost;

    out.clear();
    for (int tIndex = 0; tIndex < tracked.size(); tIndex++) {
      Track t = tracked.get(tIndex);
      if (t.confirmed() && t.state() == Track.State.TRACKED) {
        out.add(t.toBox());
      }
    }
    out.sort(BY_ID);
    return new Update(List.copyOf(out), List.copyOf(ended));
  }

  /** Confirmed tracks in sight after the last update. */
  public int activeCount() {
    int n = 0;
    for (int tIndex = 0; tIndex < tracked.size(); tIndex++) {
      Track t = tracked.get(tIndex);
      if (t.confirmed()) {
        n++;
      }
    }
    return n;
  }

  /** Confirmed tracks out of sight but still kept for re-identification. */
  public int lostCount() {
    return lost.size();
  }

  /**
   * Recovery: confirmed tracks IoU did not match (lost now or before) against the detections {@code
   * dets} left, by predicted centre distance (at most {@code gate}) relative to the box height and
   * a similar size, stretched {@code cutReach} times a cut track's lost width ahead; found ones
   * move to {@code nowTracked}, their detections leave {@code dets}.
   */
  private void recover(
      double tsUtc, List<Track> nowTracked, double gate, double cutReach, List<Detection> dets) {
    if (gate <= 0 || nowLost.isEmpty() || dets.isEmpty()) {
      return;
    }
    int[] match =
        assignment.match(
            AssociationCost.centre(nowLost, dets, config.recoverSizeRatio(), cutReach, cost), gate);
    int n = dets.size();
    taken = cleared(taken, n);
    stillLost.clear();
    for (int i = 0; i < nowLost.size(); i++) {
      Track t = nowLost.get(i);
      if (match[i] >= 0) {
        t.update(dets.get(match[i]), tsUtc);
        taken[match[i]] = true;
        nowTracked.add(t);
      } else {
        stillLost.add(t);
      }
    }
    nowLost.clear();
    for (int i = 0; i < stillLost.size(); i++) {
      nowLost.add(stillLost.get(i));
    }
    int k = 0;
    for (int j = 0; j < n; j++) {
      if (!taken[j]) {
        dets.set(k++, dets.get(j));
      }
    }
    while (dets.size() > k) {
      dets.remove(dets.size() - 1);
    }
  }

  /** {@code flags} (or a larger array when it is too short) with its first {@code n} false. */
  private static boolean[] cleared(boolean[] flags, int n) {
    boolean[] f = flags.length < n ? new boolean[Math.max(n, 2 * flags.length)] : flags;
    Arrays.fill(f, 0, n, false);
    return f;
  }

  /** Whether most of {@code d}'s area lies inside the box of one of {@code tracks}. */
  private static boolean insideTracked(Detection d, List<Track> tracks) {
    for (int tIndex = 0; tIndex < tracks.size(); tIndex++) {
      Track t = tracks.get(tIndex);
      float inter =
          Boxes.intersection(
              d.x1(),
              d.y1(),
              d.x2(),
              d.y2(),
              (float) t.x1(),
              (float) t.y1(),
              (float) t.x2(),
              (float) t.y2());
      if (inter > 0 && inter >= PART_OF_TRACKED * d.area()) {
        return true;
      }
    }
    return false;
  }

  private void confirmIfDue(Track t) {
    if (!t.confirmed() && t.hits() >= config.confirmHits()) {
      t.confirm(nextId++);
    }
  }

  private static void end(Track t, List<Long> ended) {
    t.markRemoved();
    if (t.confirmed()) {
      ended.add(t.id());
    }
  }

  /** A track and a lost track on the same spot are one object: the younger one goes. */
  private static void removeDuplicates(
      List<Track> active, List<Track> lostTracks, List<Long> ended) {
    List<Track> dropActive = null;
    List<Track> dropLost = null;
    for (int aIndex = 0; aIndex < active.size(); aIndex++) {
      Track a = active.get(aIndex);
      for (int lIndex = 0; lIndex < lostTracks.size(); lIndex++) {
        Track l = lostTracks.get(lIndex);
        if ((dropLost != null && dropLost.contains(l)) || a.iou(l) <= DUPLICATE_IOU) {
          continue;
        }
        if (dropLost == null) { // rare: allocated only when a duplicate is found
          dropActive = new ArrayList<>();
          dropLost = new ArrayList<>();
        }
        double ageActive = a.lastSeenTs() - a.firstTs();
        double ageLost = l.lastSeenTs() - l.firstTs();
        if (ageActive > ageLost) {
          dropLost.add(l);
        } else {
          dropActive.add(a);
        }
      }
    }
    if (dropLost == null) {
      return;
    }
    dropActive.forEach(t -> end(t, ended));
    dropLost.forEach(t -> end(t, ended));
    active.removeAll(dropActive);
    lostTracks.removeAll(dropLost);
  }

  /**
   * Usable detections above the low threshold, best first, without the second label of one vehicle
   * (a car also reported as a truck would otherwise become two tracks and two passes).
   */
  private List<Detection> distinct(List<Detection> detections) {
    sorted.clear();
    for (int dIndex = 0; dIndex < detections.size(); dIndex++) {
      Detection d = detections.get(dIndex);
      if (usable(d) && d.score() >= config.lowScore()) {
        sorted.add(d);
      }
    }
    sorted.sort(BEST_FIRST);
    kept.clear();
    for (int dIndex = 0; dIndex < sorted.size(); dIndex++) {
      Detection d = sorted.get(dIndex);
      boolean duplicate = false;
      for (int kIndex = 0; kIndex < kept.size(); kIndex++) {
        Detection k = kept.get(kIndex);
        if (k.iou(d) >= config.duplicateIou()) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate) {
        kept.add(d);
      }
    }
    return kept;
  }

  /** A box the filter can take: finite, non-empty, with a finite score. */
  private static boolean usable(Detection d) {
    return Float.isFinite(d.x1())
        && Float.isFinite(d.y1())
        && Float.isFinite(d.x2())
        && Float.isFinite(d.y2())
        && Float.isFinite(d.score())
        && d.x2() > d.x1()
        && d.y2() > d.y1();
  }
}
