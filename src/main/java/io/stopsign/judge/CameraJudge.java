package io.stopsign.judge;

import io.stopsign.camera.JudgeConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.ops.EventLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-camera kinematics and stop-sign judgment, fed one frame of tracks at a time in frame order by
 * the tracking verticle. Each finished zone stay is scored by {@link PassScorer} on its own
 * trajectory, the same code the {@code score} command runs. Not thread-safe: one instance per
 * camera and decode session, on one thread.
 */
public final class CameraJudge {
  private static final Logger LOG = LoggerFactory.getLogger(CameraJudge.class);

  /** A track not seen for this long is finished even if the tracker never said it ended. */
  private static final double STALE_TRACK_S = 10;

  /** Decode keeps about 2 s of frames: an exit frame older than this gets no snapshot. */
  private static final double SNAPSHOT_MAX_AGE_S = 1.5;

  /** Zone entries and exits told per track: a box flickering at the edge must not flood events. */
  static final int MAX_ZONE_CHANGES_PER_TRACK = 16;

  /** Bound on tracks judged at once; more means a broken tracker, not traffic. */
  private static final int MAX_TRACKS = 1000;

  /**
   * A pass ready to publish. Its snapshot ({@code pass.snapshot()}) shows frame {@code
   * snapshotFrame}: the capture-line crossing, already announced as a {@link Capture} when {@code
   * captured}, else the zone exit, still to be taken.
   */
  public record CompletedPass(PassEvent pass, long snapshotFrame, boolean captured) {}

  /**
   * A track just crossed the capture line: the snapshot of {@code frame} should be written to
   * {@code path} now, while decode still holds that frame; a later pass of the track refers to it.
   */
  public record Capture(long trackId, long frame, String path) {}

  /**
   * A track entered or left the stop zone: {@code kind} is {@link EventLog#ZONE_ENTRY} or {@link
   * EventLog#ZONE_EXIT}, {@code tsUtc} the capture time of its first sample on the new side, {@code
   * how} {@code debounced}, {@code crossing} or {@code track_ended}.
   */
  public record ZoneChange(long trackId, String kind, double tsUtc, String how) {}

  /**
   * What the judge says about one frame: each track's state, passes just completed, captures, zone
   * entries and exits.
   */
  public record Step(
      List<TrackState> tracks,
      List<CompletedPass> passes,
      List<Capture> captures,
      List<ZoneChange> zone) {}

  private final String camera;
  private final String runId;
  private final Map<Long, TrackJudge> tracks = new HashMap<>();
  private final List<CompletedPass> carried = new ArrayList<>();
  private final List<ZoneChange> zoneChanges = new ArrayList<>();
  private final Map<Long, Integer> zoneChangesTold = new HashMap<>();
  private JudgeGeometry geometry;
  private PassScorer scorer;
  private boolean warnedFull;
  private double lastTsUtc = Double.POSITIVE_INFINITY;

  /**
   * @throws io.stopsign.config.ConfigException when the geometry is invalid
   */
  public CameraJudge(String camera, String runId, JudgeConfig config) {
    this.camera = camera;
    this.runId = runId;
    this.geometry = JudgeGeometry.of(config);
    this.scorer = new PassScorer(geometry);
  }

  /**
   * Feeds one frame; {@code ended} are track ids the tracker has dropped for good. Passes finished
   * by a {@link #reconfigure} come out with the next step.
   */
  public Step observe(long frame, double tsUtc, List<TrackedBox> boxes, List<Long> ended) {
    lastTsUtc = tsUtc;
    List<TrackState> states = new ArrayList<>(boxes.size());
    List<Capture> captures = new ArrayList<>();
    List<CompletedPass> passes = new ArrayList<>(carried);
    carried.clear();
    for (TrackedBox b : boxes) {
      TrackJudge track = tracks.get(b.id());
      if (track == null) {
        if (tracks.size() >= MAX_TRACKS) {
          if (!warnedFull) {
            LOG.warn("camera {}: {} tracks at once, not judging more", camera, MAX_TRACKS);
            warnedFull = true;
          }
          continue;
        }
        track = new TrackJudge(geometry);
        tracks.put(b.id(), track);
      }
      TrackJudge.Stay stay =
          track.observe(new Sample(tsUtc, b.x1(), b.y1(), b.x2(), b.y2()), frame);
      takeMoves(b.id(), track);
      long captured = track.takeNewCapture();
      if (captured >= 0) {
        captures.add(new Capture(b.id(), captured, capturePath(b.id(), captured)));
      }
      addPass(passes, b.id(), stay, tsUtc);
      states.add(
          new TrackState(
              b.id(),
              b.cls(),
              b.score(),
              b.x1(),
              b.y1(),
              b.x2(),
              b.y2(),
              track.speed(),
              track.direction(),
              track.parked(),
              track.inZone()));
    }
    for (Long id : ended) {
      TrackJudge track = tracks.remove(id);
      if (track != null) {
        addPass(passes, id, track.finish(), tsUtc);
        takeMoves(id, track);
        zoneChangesTold.remove(id);
      }
    }
    for (Iterator<Map.Entry<Long, TrackJudge>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, TrackJudge> e = it.next();
      if (e.getValue().lastT() < tsUtc - STALE_TRACK_S) {
        it.remove();
        addPass(passes, e.getKey(), e.getValue().finish(), tsUtc);
        takeMoves(e.getKey(), e.getValue());
        zoneChangesTold.remove(e.getKey());
      }
    }
    if (tracks.size() < MAX_TRACKS / 2) {
      warnedFull = false;
    }
    return new Step(states, passes, captures, takeZoneChanges());
  }

  /**
   * The zone entries and exits not yet handed out in a {@link Step}: those {@link #finishAll()}
   * made; clears them.
   */
  public List<ZoneChange> takeZoneChanges() {
    if (zoneChanges.isEmpty()) {
      return List.of();
    }
    List<ZoneChange> taken = List.copyOf(zoneChanges);
    zoneChanges.clear();
    return taken;
  }

  private void takeMoves(long trackId, TrackJudge track) {
    for (TrackJudge.ZoneMove move : track.takeMoves()) {
      int told = zoneChangesTold.merge(trackId, 1, Integer::sum);
      if (told > MAX_ZONE_CHANGES_PER_TRACK) {
        continue;
      }
      if (told == MAX_ZONE_CHANGES_PER_TRACK) {
        LOG.debug(
            "camera {}: track {} flickers at the zone edge, no more zone events", camera, trackId);
      }
      String kind = move.entry() ? EventLog.ZONE_ENTRY : EventLog.ZONE_EXIT;
      zoneChanges.add(new ZoneChange(trackId, kind, move.t(), move.how()));
    }
  }

  /**
   * Applies new zones and thresholds without a restart. Each track's stay in progress is replayed
   * under the new geometry and keeps going (or finishes, if the vehicle is outside the new zone).
   *
   * @throws io.stopsign.config.ConfigException when the new geometry is invalid; the old one stays
   */
  public void reconfigure(JudgeConfig config) {
    JudgeGeometry next = JudgeGeometry.of(config);
    for (Map.Entry<Long, TrackJudge> e : tracks.entrySet()) {
      List<TrackJudge.Stay> finished = new ArrayList<>();
      e.setValue(e.getValue().rebuild(next, finished));
      finished.forEach(stay -> addPass(carried, e.getKey(), stay, lastTsUtc));
    }
    geometry = next;
    scorer = new PassScorer(next);
    LOG.debug(
        "camera {}: judge reconfigured ({} tracks kept, speeds in {})",
        camera,
        tracks.size(),
        speedUnit());
  }

  /**
   * Finishes every track (end of the decode session); returns the passes that completes. Those not
   * captured at the capture line get no snapshot: decode no longer holds their frames.
   */
  public List<CompletedPass> finishAll() {
    List<CompletedPass> passes = new ArrayList<>(carried);
    carried.clear();
    tracks.forEach(
        (id, track) -> {
          addPass(passes, id, track.finish(), Double.POSITIVE_INFINITY);
          takeMoves(id, track);
        });
    tracks.clear();
    zoneChangesTold.clear();
    return passes;
  }

  /**
   * Scores a finished stay and adds its pass, if it is one; {@code nowT} is the current frame time.
   */
  private void addPass(List<CompletedPass> out, long trackId, TrackJudge.Stay stay, double nowT) {
    if (stay == null) {
      return;
    }
    PassScore score;
    try {
      score = scorer.score(stay.samples());
    } catch (IllegalArgumentException e) {
      LOG.warn("camera {}: track {} not scored: {}", camera, trackId, e.getMessage());
      return;
    }
    if (!score.pass()) {
      LOG.debug("camera {}: track {} made no pass: {}", camera, trackId, score.reason());
      return;
    }
    boolean captured = stay.captureFrame() >= 0;
    PassEvent pass =
        PassEvent.of(
            camera,
            runId,
            trackId,
            score,
            stay.samples(),
            captured ? capturePath(trackId, stay.captureFrame()) : null);
    LOG.info(
        "camera {}: pass of track {}: {} ({})",
        camera,
        trackId,
        score.verdict().wire(),
        score.reason());
    long frame = captured ? stay.captureFrame() : stay.frames().get(score.exitIndex());
    if (!captured && nowT - stay.samples().get(score.exitIndex()).t() > SNAPSHOT_MAX_AGE_S) {
      pass = pass.withoutSnapshot();
      frame = -1;
    }
    out.add(new CompletedPass(pass, frame, captured));
  }

  private String capturePath(long trackId, long frame) {
    return "snapshots/" + camera + "/" + runId + "-" + trackId + "-" + frame + ".jpg";
  }

  public JudgeConfig config() {
    return geometry.config();
  }

  public String speedUnit() {
    return geometry.config().speedUnit();
  }

  public String camera() {
    return camera;
  }

  public String runId() {
    return runId;
  }
}
