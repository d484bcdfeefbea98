package io.stopsign.tracking;

import io.stopsign.inference.Boxes;
import io.stopsign.inference.Detection;
import io.stopsign.judge.TrackedBox;
import java.util.Arrays;

/**
 * One object followed by the {@link ByteTracker}: its Kalman state, its life cycle, and the class
 * most detections gave it (score-weighted votes, so a car seen once as a truck stays a car).
 */
final class Track {
  // The measured boxes of the last second (at most CUT_SAMPLES updates) that tell whether an
  // occluder is cutting the car: the widest box of about the same height is its uncut width.
  private static final int CUT_SAMPLES = 32;
  private static final double CUT_WINDOW_SECONDS = 1.0;
  // Heights further apart than this are a car nearing or turning, not one being cut.
  private static final double CUT_HEIGHT_RATIO = 1.25;

  /** Life cycle: tentative until confirmed, then tracked / lost (kept for re-identification). */
  enum State {
    TENTATIVE,
    TRACKED,
    LOST,
    REMOVED
  }

  private final KalmanBoxFilter filter;
  // score summed per label seen, in primitive arrays: a track sees one to three labels
  private String[] voteLabels = new String[2];
  private double[] voteTotals = new double[2];
  private int labelsSeen;
  private final double firstTs;
  private long id;
  private State state = State.TENTATIVE;
  private int hits = 1;
  private double lastSeenTs;
  private double predictedTs;
  private float score;
  private String cls;
  private final double[] sampleTs = new double[CUT_SAMPLES];
  private final double[] sampleAspect = new double[CUT_SAMPLES];
  private final double[] sampleHeight = new double[CUT_SAMPLES];
  private int samples;
  private int nextSample;
  private double cutWidth;

  Track(Detection first, double tsUtc, double nominalFps) {
    this.filter =
        new KalmanBoxFilter(
            (first.x1() + first.x2()) / 2.0,
            (first.y1() + first.y2()) / 2.0,
            first.width() / (double) first.height(),
            first.height(),
            nominalFps);
    this.firstTs = tsUtc;
    this.lastSeenTs = tsUtc;
    this.predictedTs = tsUtc;
    this.score = first.score();
    vote(first);
    sample(first, tsUtc);
  }

  /** Moves the state to {@code tsUtc}; a track out of sight keeps its size (no height velocity). */
  void predictTo(double tsUtc) {
    if (state == State.LOST) {
      filter.holdHeight();
    }
    if (tsUtc > predictedTs) {
      filter.predict(tsUtc - predictedTs);
      predictedTs = tsUtc;
    }
  }

  /** Corrects the state with the detection matched to this track at {@code tsUtc}. */
  void update(Detection d, double tsUtc) {
    filter.update(
        (d.x1() + d.x2()) / 2.0,
        (d.y1() + d.y2()) / 2.0,
        d.width() / (double) d.height(),
        d.height());
    hits++;
    lastSeenTs = tsUtc;
    score = d.score();
    vote(d);
    sample(d, tsUtc);
    if (state == State.LOST) {
      state = State.TRACKED;
    }
  }

  /** Gives a tentative track its public id. */
  void confirm(long newId) {
    id = newId;
    state = State.TRACKED;
  }

  void markLost() {
    state = State.LOST;
  }

  void markRemoved() {
    state = State.REMOVED;
  }

  float iou(Detection d) {
    return Boxes.iou(
        (float) x1(), (float) y1(), (float) x2(), (float) y2(), d.x1(), d.y1(), d.x2(), d.y2());
  }

  float iou(Track other) {
    return Boxes.iou(
        (float) x1(),
        (float) y1(),
        (float) x2(),
        (float) y2(),
        (float) other.x1(),
        (float) other.y1(),
        (float) other.x2(),
        (float) other.y2());
  }

  TrackedBox toBox() {
    return new TrackedBox(id, cls, score, (float) x1(), (float) y1(), (float) x2(), (float) y2());
  }

  /**
   * Width, in pixels, the last measured box lacks against the widest one of about its height in the
   * last second: what an occluder (a post, the picture's edge) hides of the car, 0 when uncut.
   */
  double cutWidth() {
    return cutWidth;
  }

  private void sample(Detection d, double tsUtc) {
    int k = nextSample;
    nextSample = (nextSample + 1) % CUT_SAMPLES;
    samples = Math.min(samples + 1, CUT_SAMPLES);
    double h = d.height();
    double aspect = d.width() / h;
    sampleTs[k] = tsUtc;
    sampleAspect[k] = aspect;
    sampleHeight[k] = h;
    double widest = aspect;
    for (int i = 0; i < samples; i++) {
      double ratio = sampleHeight[i] / h;
      if (tsUtc - sampleTs[i] <= CUT_WINDOW_SECONDS
          && ratio <= CUT_HEIGHT_RATIO
          && ratio >= 1 / CUT_HEIGHT_RATIO) {
        widest = Math.max(widest, sampleAspect[i]);
      }
    }
    cutWidth = (widest - aspect) * h;
  }

  private void vote(Detection d) {
    String label = d.label() == null ? "object" : d.label();
    int k = voteIndex(label);
    if (k < 0) {
      k = labelsSeen++;
      if (k == voteLabels.length) {
        voteLabels = Arrays.copyOf(voteLabels, 2 * k);
        voteTotals = Arrays.copyOf(voteTotals, 2 * k);
      }
      voteLabels[k] = label;
      voteTotals[k] = 0;
    }
    voteTotals[k] += (double) Math.max(d.score(), 1e-3f);
    double total = voteTotals[k];
    if (cls == null || (!cls.equals(label) && total > votesFor(cls))) {
      cls = label;
    }
  }

  private int voteIndex(String label) {
    for (int k = 0; k < labelsSeen; k++) {
      if (voteLabels[k].equals(label)) {
        return k;
      }
    }
    return -1;
  }

  private double votesFor(String label) {
    int k = voteIndex(label);
    return k < 0 ? 0.0 : voteTotals[k];
  }

  double x1() {
    return filter.cx() - filter.width() / 2;
  }

  double y1() {
    return filter.cy() - filter.height() / 2;
  }

  double x2() {
    return filter.cx() + filter.width() / 2;
  }

  double y2() {
    return filter.cy() + filter.height() / 2;
  }

  long id() {
    return id;
  }

  State state() {
    return state;
  }

  boolean confirmed() {
    return id != 0;
  }

  int hits() {
    return hits;
  }

  double firstTs() {
    return firstTs;
  }

  double lastSeenTs() {
    return lastSeenTs;
  }

  float score() {
    return score;
  }

  String cls() {
    return cls;
  }

  KalmanBoxFilter filter() {
    return filter;
  }
}
