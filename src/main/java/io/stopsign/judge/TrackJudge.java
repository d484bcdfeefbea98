package io.stopsign.judge;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The live state of one track: kinematics, debounced zone membership, and the samples of the zone
 * stay in progress with their lead-in. It decides when a stay ends (exit, parked, too long, track
 * ended) and hands its samples over; {@link PassScorer} judges them. Not thread-safe.
 */
final class TrackJudge {
  /** How far back a stay's lead-in may reach to include the pre-stop line crossing. */
  private static final double HISTORY_S = 12;

  /** Lead-in before the entry at least: speeds at the entry need a full window behind them. */
  private static final double LEAD_IN_S = 2;

  /** A stay holding more samples than this is cut (a bound on memory whatever the frame rate). */
  private static final int MAX_STAY_SAMPLES = 40_000;

  /**
   * A finished stay: its samples (lead-in included), the frame number of each, and the frame where
   * the track crossed the capture line since its previous stay (-1 if it did not).
   */
  record Stay(List<Sample> samples, List<Long> frames, long captureFrame) {}

  private record Entry(Sample sample, long frame, boolean rawInside) {}

  /**
   * The track entered ({@code entry}) or left the stop zone at {@code t}: {@code how} is {@code
   * debounced} (a stay), {@code crossing} (a pass too quick for the debounce) or {@code
   * track_ended} (lost inside).
   */
  record ZoneMove(boolean entry, double t, String how) {}

  private final JudgeGeometry geometry;
  private final TrackKinematics kinematics;
  private final ZonePassage zone;
  private int count;
  private final ArrayDeque<Entry> history = new ArrayDeque<>();
  private List<Entry> stay;
  private double stayEntryT;
  private double lastExitStartT = Double.NEGATIVE_INFINITY;
  private double lastGateCrossT = Double.NEGATIVE_INFINITY;
  private long captureFrame = -1;
  private boolean newCapture;
  private final List<ZoneMove> moves = new ArrayList<>(2);

  TrackJudge(JudgeGeometry geometry) {
    this.geometry = geometry;
    this.kinematics = new TrackKinematics(geometry.thresholds());
    this.zone = new ZonePassage(geometry);
  }

  /**
   * Feeds one observation; returns the stay it finished, or null. Late or broken samples are
   * ignored.
   */
  Stay observe(Sample s, long frame) {
    Entry last = history.peekLast();
    if (!s.isFinite() || (last != null && s.t() <= last.sample.t())) {
      return null;
    }
    boolean rawInside = geometry.inZone(s);
    Entry e = new Entry(s, frame, rawInside);
    if (last != null && geometry.crossesGateForward(last.sample, s)) {
      lastGateCrossT = last.sample.t();
    }
    if (last != null && captureFrame < 0 && geometry.crossesCapture(last.sample, s)) {
      captureFrame = frame;
      newCapture = true;
    }
    history.addLast(e);
    while (s.t() - history.peekFirst().sample.t() > HISTORY_S) {
      history.removeFirst();
    }
    kinematics.update(s.t(), s.groundX(), s.groundY(), geometry.ground(s));
    ZonePassage.Change change = zone.update(++count, s, rawInside);
    noteMove(change);
    if (stay != null) {
      stay.add(e);
    }
    if (change == ZonePassage.Change.EXITED) {
      lastExitStartT = zone.changeStartT();
      return close();
    }
    if (change == ZonePassage.Change.CROSSED) {
      return crossed();
    }
    if (change == ZonePassage.Change.ENTERED && stay == null && !kinematics.parked()) {
      open(zone.changeStartT());
    }
    if (stay != null) {
      boolean parked = kinematics.stationaryFor(s.t()) >= geometry.thresholds().parkedAfterS();
      boolean tooLong =
          PassScorer.micros(s.t() - stayEntryT) > geometry.thresholds().maxPassDuration()
              || stay.size() >= MAX_STAY_SAMPLES;
      if (parked || tooLong) {
        return close();
      }
    }
    return null;
  }

  /** The track ended: the stay in progress, or a crossing still settling, ends here. */
  Stay finish() {
    if (zone.inside()) {
      moves.add(new ZoneMove(false, lastT(), "track_ended"));
    }
    if (stay == null && zone.finishTouch()) {
      noteMove(ZonePassage.Change.CROSSED);
      return crossed();
    }
    return close();
  }

  private void noteMove(ZonePassage.Change change) {
    switch (change) {
      case ENTERED -> moves.add(new ZoneMove(true, zone.changeStartT(), "debounced"));
      case EXITED -> moves.add(new ZoneMove(false, zone.changeStartT(), "debounced"));
      case CROSSED -> {
        moves.add(new ZoneMove(true, zone.crossedEntryT(), "crossing"));
        moves.add(new ZoneMove(false, zone.crossedExitT(), "crossing"));
      }
      case NONE -> {}
    }
  }

  /** The zone entries and exits since the last call, oldest first; clears them. */
  List<ZoneMove> takeMoves() {
    if (moves.isEmpty()) {
      return List.of();
    }
    List<ZoneMove> taken = List.copyOf(moves);
    moves.clear();
    return taken;
  }

  /**
   * A crossing too quick for the debounce just settled: its samples with their lead-in make a stay
   * at once (the scorer tells a pass from jitter at the edge); none for a parked vehicle.
   */
  private Stay crossed() {
    double entryT = zone.crossedEntryT();
    double exitT = zone.crossedExitT();
    if (stay != null || kinematics.parked()) {
      lastExitStartT = exitT;
      return null;
    }
    open(entryT);
    lastExitStartT = exitT;
    return close();
  }

  /**
   * The same track under a new configuration: the stay in progress (or the recent history) is
   * replayed under it, so a pass keeps going with the new zone; stays that the replay finishes are
   * added to {@code finished} only when a pass was in progress.
   */
  TrackJudge rebuild(JudgeGeometry next, List<Stay> finished) {
    TrackJudge judge = new TrackJudge(next);
    List<Entry> source = stay != null ? stay : new ArrayList<>(history);
    boolean closed = false;
    for (Entry e : source) {
      Stay done = judge.observe(e.sample, e.frame);
      if (done != null) {
        closed = true;
        if (stay != null) {
          finished.add(done);
        }
      }
    }
    judge.kinematics.inheritParked(kinematics);
    if (!closed) {
      judge.captureFrame = captureFrame; // the crossing may predate the replayed samples
    }
    judge.newCapture = false;
    judge.moves.clear(); // a replay, not a move: the old geometry's entries were already told
    return judge;
  }

  /**
   * The frame where this track just crossed the capture line (once per stay), else -1; clears it.
   */
  long takeNewCapture() {
    if (!newCapture) {
      return -1;
    }
    newCapture = false;
    return captureFrame;
  }

  /** The speed, NaN until it is known. */
  double speed() {
    return kinematics.speedKnown() ? kinematics.speed() : Double.NaN;
  }

  double direction() {
    return kinematics.direction();
  }

  boolean parked() {
    return kinematics.parked();
  }

  boolean inZone() {
    return zone.inside();
  }

  double lastT() {
    Entry last = history.peekLast();
    return last == null ? Double.NEGATIVE_INFINITY : last.sample.t();
  }

  /**
   * Starts a stay whose first inside sample was at {@code entryT}. Its lead-in reaches back {@code
   * LEAD_IN_S}, or to the pre-stop line crossing, but never into the previous stay, and starts
   * outside the zone: replayed alone it finds this same entry.
   */
  private void open(double entryT) {
    List<Entry> recent = new ArrayList<>(history);
    int entry = recent.size() - 1;
    while (entry > 0 && recent.get(entry).sample.t() > entryT) {
      entry--;
    }
    double from = entryT - Math.max(LEAD_IN_S, 2 * geometry.thresholds().speedWindowS());
    if (lastGateCrossT > Double.NEGATIVE_INFINITY) {
      from = Math.min(from, lastGateCrossT);
    }
    from = Math.max(from, lastExitStartT);
    int start = entry;
    while (start > 0 && recent.get(start - 1).sample.t() >= from) {
      start--;
    }
    while (start < entry && recent.get(start).rawInside) {
      start++;
    }
    stayEntryT = entryT;
    stay = new ArrayList<>(recent.subList(start, recent.size()));
  }

  private Stay close() {
    if (stay == null) {
      return null;
    }
    List<Sample> samples = new ArrayList<>(stay.size());
    List<Long> frames = new ArrayList<>(stay.size());
    for (Entry e : stay) {
      samples.add(e.sample);
      frames.add(e.frame);
    }
    stay = null;
    Stay done = new Stay(samples, frames, captureFrame);
    captureFrame = -1;
    return done;
  }
}
