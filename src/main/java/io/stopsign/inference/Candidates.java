package io.stopsign.inference;

import java.util.Arrays;
import java.util.List;

/**
 * One frame's candidate boxes before NMS, in input-tensor pixels, held in primitive arrays that a
 * detector thread reuses frame after frame: a box becomes a {@link Detection} record only once it
 * survives NMS and the filter. {@link #selection()} holds the indices still in the running, best
 * score first once {@link Nms} has run.
 */
final class Candidates {
  private int size;
  private int selected;
  private int[] classId = new int[64];
  private float[] score = new float[64];
  private float[] x1 = new float[64];
  private float[] y1 = new float[64];
  private float[] x2 = new float[64];
  private float[] y2 = new float[64];
  private long[] sortKeys = new long[64];
  private int[] selection = new int[64];
  private boolean[] flags = new boolean[64];

  /** The detections of {@code list}, candidate {@code i} being {@code list.get(i)}. */
  static Candidates of(List<Detection> list) {
    Candidates c = new Candidates();
    for (Detection d : list) {
      c.add(d.classId(), d.score(), d.x1(), d.y1(), d.x2(), d.y2());
    }
    return c;
  }

  void clear() {
    size = 0;
    selected = 0;
  }

  void add(int cls, float s, float bx1, float by1, float bx2, float by2) {
    if (size == classId.length) {
      grow();
    }
    classId[size] = cls;
    score[size] = s;
    x1[size] = bx1;
    y1[size] = by1;
    x2[size] = bx2;
    y2[size] = by2;
    size++;
  }

  int size() {
    return size;
  }

  int classId(int i) {
    return classId[i];
  }

  float score(int i) {
    return score[i];
  }

  float x1(int i) {
    return x1[i];
  }

  float y1(int i) {
    return y1[i];
  }

  float x2(int i) {
    return x2[i];
  }

  float y2(int i) {
    return y2[i];
  }

  float iou(int i, int j) {
    return Boxes.iou(x1[i], y1[i], x2[i], y2[i], x1[j], y1[j], x2[j], y2[j]);
  }

  /** Candidate {@code i} as a record, label left null (set when mapping to raw pixels). */
  Detection detection(int i) {
    return new Detection(classId[i], null, score[i], x1[i], y1[i], x2[i], y2[i]);
  }

  /**
   * Puts every candidate in the selection, best score first; ties keep their order of arrival (as a
   * stable sort by {@code Double.compare} of the scores would).
   */
  void selectAllBestFirst() {
    for (int i = 0; i < size; i++) {
      int bits = Float.floatToIntBits(score[i]);
      int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
      sortKeys[i] = ((long) ~ascending << 32) | i;
    }
    // primitive sort: no comparator, no boxing, no merge buffer below 4096 keys
    Arrays.sort(sortKeys, 0, size);
    for (int i = 0; i < size; i++) {
      selection[i] = (int) sortKeys[i];
    }
    selected = size;
  }

  /** Indices of the selected candidates in order; valid up to {@link #selected()}. */
  int[] selection() {
    return selection;
  }

  int selected() {
    return selected;
  }

  /** Keeps the first {@code n} entries of {@link #selection()}. */
  void select(int n) {
    selected = n;
  }

  /** One flag per candidate, all false. */
  boolean[] clearedFlags() {
    Arrays.fill(flags, 0, size, false);
    return flags;
  }

  private void grow() {
    int n = classId.length * 2;
    classId = Arrays.copyOf(classId, n);
    score = Arrays.copyOf(score, n);
    x1 = Arrays.copyOf(x1, n);
    y1 = Arrays.copyOf(y1, n);
    x2 = Arrays.copyOf(x2, n);
    y2 = Arrays.copyOf(y2, n);
    sortKeys = Arrays.copyOf(sortKeys, n);
    selection = Arrays.copyOf(selection, n);
    flags = Arrays.copyOf(flags, n);
  }
}
