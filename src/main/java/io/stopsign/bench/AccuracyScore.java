package io.stopsign.bench;

import io.stopsign.inference.Boxes;
import io.stopsign.inference.Detection;
import io.stopsign.judge.TrackedBox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Detection and tracking accuracy against {@link AccuracyLabels}: precision and recall at IoU 0.5
 * by box height band (a label's height for recall, a detection's for precision), and identity
 * switches and fragmentations of confirmed tracks over the labelled vehicles at least {@link
 * #TRACKED_MIN_HEIGHT} tall.
 */
final class AccuracyScore {
  static final float IOU = 0.5f;
  static final float TRACKED_MIN_HEIGHT = 24;

  /** Height bands, {@code [min, max)} pixels. */
  enum Band {
    SMALL("<40", 0, 40),
    MEDIUM("40-100", 40, 100),
    LARGE(">100", 100, Float.MAX_VALUE),
    AT_LEAST_24(">=24", 24, Float.MAX_VALUE);

    final String label;
    final float min;
    final float max;

    Band(String label, float min, float max) {
      this.label = label;
      this.min = min;
      this.max = max;
    }

    boolean holds(float height) {
      return height >= min && height < max;
    }
  }

  private final int[] labels = new int[Band.values().length];
  private final int[] found = new int[Band.values().length];
  private final int[] detections = new int[Band.values().length];
  private final int[] correct = new int[Band.values().length];
  // per labelled vehicle: the track it was last matched to, and whether it was missed since
  private final Map<String, Long> lastTrack = new HashMap<>();
  private final Map<String, Boolean> gap = new HashMap<>();
  private int switches;
  private final List<String> switched = new ArrayList<>();
  private int fragmentations;
  private int trackedLabels;
  private int trackableLabels;
  private double trackSeconds;

  /** Scores one labelled frame's detections. */
  void detections(List<AccuracyLabels.Box> truth, List<Detection> boxes) {
    List<float[]> found = new ArrayList<>();
    for (Detection d : boxes) {
      found.add(new float[] {d.x1(), d.y1(), d.x2(), d.y2()});
    }
    int[] match = match(truth, found);
    boolean[] used = new boolean[found.size()];
    for (int i = 0; i < truth.size(); i++) {
      for (Band b : Band.values()) {
        if (b.holds(truth.get(i).height())) {
          labels[b.ordinal()]++;
          this.found[b.ordinal()] += match[i] >= 0 ? 1 : 0;
        }
      }
      if (match[i] >= 0) {
        used[match[i]] = true;
      }
    }
    for (int j = 0; j < found.size(); j++) {
      float h = found.get(j)[3] - found.get(j)[1];
      for (Band b : Band.values()) {
        if (b.holds(h)) {
          detections[b.ordinal()]++;
          correct[b.ordinal()] += used[j] ? 1 : 0;
        }
      }
    }
  }

  /**
   * Scores one labelled frame's confirmed tracks; {@code seconds} is the time this labelled frame
   * stands for (the spacing of labelled frames).
   */
  void tracks(
      String clip, List<AccuracyLabels.Box> truth, List<TrackedBox> tracks, double seconds) {
    List<AccuracyLabels.Box> big = new ArrayList<>();
    for (AccuracyLabels.Box b : truth) {
      if (b.height() >= TRACKED_MIN_HEIGHT) {
        big.add(b);
      }
    }
    List<float[]> boxes = new ArrayList<>();
    for (TrackedBox t : tracks) {
      boxes.add(new float[] {t.x1(), t.y1(), t.x2(), t.y2()});
    }
    int[] match = match(big, boxes);
    for (int i = 0; i < big.size(); i++) {
      String vehicle = clip + "/" + big.get(i).id();
      trackSeconds += seconds;
      trackableLabels++;
      if (match[i] < 0) {
        gap.computeIfPresent(vehicle, (k, v) -> true);
        continue;
      }
      trackedLabels++;
      long id = tracks.get(match[i]).id();
      Long last = lastTrack.put(vehicle, id);
      if (last != null && last != id) {
        switches++;
        AccuracyLabels.Box b = big.get(i);
        switched.add(
            String.format(
                "%s %d->%d at [%.0f,%.0f,%.0f,%.0f]",
                vehicle, last, id, b.x1(), b.y1(), b.x2(), b.y2()));
      } else if (last != null && gap.get(vehicle)) {
        fragmentations++;
      }
      gap.put(vehicle, false);
    }
  }

  double precision(Band b) {
    return ratio(correct[b.ordinal()], detections[b.ordinal()]);
  }

  double recall(Band b) {
    return ratio(found[b.ordinal()], labels[b.ordinal()]);
  }

  int labels(Band b) {
    return labels[b.ordinal()];
  }

  /** Share of labelled vehicles (>= 24 px) covered by a confirmed track on their frames. */
  double trackCoverage() {
    return ratio(trackedLabels, trackableLabels);
  }

  double switchesPer100s() {
    return trackSeconds == 0 ? Double.NaN : switches * 100 / trackSeconds;
  }

  double fragmentationsPer100s() {
    return trackSeconds == 0 ? Double.NaN : fragmentations * 100 / trackSeconds;
  }

  /** Each switch: the vehicle, old and new track id, and its labelled box there. */
  List<String> switched() {
    return List.copyOf(switched);
  }

  int switches() {
    return switches;
  }

  int fragmentations() {
    return fragmentations;
  }

  double trackSeconds() {
    return trackSeconds;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** Greedy one-to-one matching by IoU, best pair first; {@code result[label]} is a box or -1. */
  static int[] match(List<AccuracyLabels.Box> truth, List<float[]> boxes) {
    int[] result = new int[truth.size()];
    java.util.Arrays.fill(result, -1);
    boolean[] taken = new boolean[boxes.size()];
    List<float[]> pairs = new ArrayList<>();
    for (int i = 0; i < truth.size(); i++) {
      AccuracyLabels.Box t = truth.get(i);
      for (int j = 0; j < boxes.size(); j++) {
        float[] b = boxes.get(j);
        float iou = Boxes.iou(t.x1(), t.y1(), t.x2(), t.y2(), b[0], b[1], b[2], b[3]);
        if (iou >= IOU) {
          pairs.add(new float[] {iou, i, j});
        }
      }
    }
    pairs.sort((a, b) -> Float.compare(b[0], a[0]));
    for (float[] p : pairs) {
      int i = (int) p[1];
      int j = (int) p[2];
      if (result[i] < 0 && !taken[j]) {
        result[i] = j;
        taken[j] = true;
      }
    }
    return result;
  }
}
