package io.stopsign.judge;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;

/**
 * How one track goes through the stop zone, from its raw observations: debounced stays ({@link
 * ZoneDebouncer}), and crossings too quick for the debounce, such as a car seen once inside, or
 * before the zone and then beyond it, on a poor feed. A crossing is a touch of the zone (samples
 * inside, or moves between two samples that pass through it) followed by a debounced time outside;
 * whether it was a pass or box jitter at the edge is for {@link PassScorer} to say. Not
 * thread-safe.
 */
final class ZonePassage {
  /** What one sample changed. */
  enum Change {
    NONE,
    ENTERED,
    EXITED,
    CROSSED
  }

  private final JudgeGeometry geometry;
  private final ZoneDebouncer zone;
  private final double minSeconds;
  private final int minFrames;
  private Sample previous;
  private boolean previousInside;
  private int touchStart = -1;
  private double touchStartT;
  private int touchExit = -1;
  private double touchExitT;
  private int outsideCount;
  private int crossedEntry = -1;
  private int crossedExit = -1;
  private double crossedEntryT;
  private double crossedExitT;

  ZonePassage(JudgeGeometry geometry) {
    this.geometry = geometry;
    this.zone = new ZoneDebouncer(geometry.thresholds());
    this.minSeconds = geometry.thresholds().debounceS();
    this.minFrames = geometry.thresholds().debounceFrames();
  }

  /** Feeds sample {@code index}, whose raw side is {@code rawInside}; times increase. */
  Change update(int index, Sample s, boolean rawInside) {
    ZoneDebouncer.Change change = zone.update(index, s.t(), rawInside);
    Sample prev = previous;
    boolean prevInside = previousInside;
    previous = s;
    previousInside = rawInside;
    if (change == ZoneDebouncer.Change.ENTERED) {
      touchStart = -1;
      touchExit = -1;
      return Change.ENTERED;
    }
    if (change == ZoneDebouncer.Change.EXITED) {
      return Change.EXITED;
    }
    if (zone.inside() || prev == null) {
      return Change.NONE;
    }
    if (rawInside || prevInside || geometry.touches(prev, s)) {
      if (touchStart < 0) {
        touchStart = index;
        touchStartT = s.t();
      }
      if (rawInside) {
        touchExit = -1;
        return Change.NONE;
      }
      touchExit = index;
      touchExitT = s.t();
      outsideCount = 1;
    } else if (touchExit >= 0) {
      outsideCount++;
    }
    if (touchExit >= 0 && outsideCount >= minFrames && s.t() - touchExitT >= minSeconds - 1e-9) {
      settle();
      return Change.CROSSED;
    }
    return Change.NONE;
  }

  /**
   * The track ended: whether a touch it had left before the end counts as finished (the outside
   * time after it was cut short); its indices are then those of {@link #crossedEntry()}.
   */
  boolean finishTouch() {
    if (touchExit < 0) {
      return false;
    }
    settle();
    return true;
  }

  private void settle() {
    crossedEntry = touchStart;
    crossedEntryT = touchStartT;
    crossedExit = touchExit;
    crossedExitT = touchExitT;
    touchStart = -1;
    touchExit = -1;
  }

  /** First sample of the debounced change just reported ({@code ENTERED} or {@code EXITED}). */
  int changeStartIndex() {
    return zone.changeStartIndex();
  }

  double changeStartT() {
    return zone.changeStartT();
  }

  /** Whether a debounced exit has begun but is not yet confirmed. */
  boolean exitPending() {
    return zone.inside() && zone.pending();
  }

  boolean inside() {
    return zone.inside();
  }

  /** First sample of the last crossing whose move came into the zone (inside, or just past it). */
  int crossedEntry() {
    return crossedEntry;
  }

  /** First sample outside after the last crossing. */
  int crossedExit() {
    return crossedExit;
  }

  double crossedEntryT() {
    return crossedEntryT;
  }

  double crossedExitT() {
    return crossedExitT;
  }
}
