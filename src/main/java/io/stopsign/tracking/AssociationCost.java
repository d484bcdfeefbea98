package io.stopsign.tracking;

import io.stopsign.inference.Detection;
import java.util.List;

/** The cost matrices of the {@link ByteTracker}'s associations, tracks by rows. */
final class AssociationCost {
  /** Above every gate: the pair cannot match. */
  static final double NEVER = Double.POSITIVE_INFINITY;

  private AssociationCost() {}

  /** {@code 1 - IoU x score}: ByteTrack's first-stage cost, written into {@code cost}. */
  static CostMatrix fused(List<Track> tracks, List<Detection> dets, CostMatrix cost) {
    cost.reset(tracks.size(), dets.size());
    for (int i = 0; i < tracks.size(); i++) {
      for (int j = 0; j < dets.size(); j++) {
        Detection d = dets.get(j);
        cost.set(i, j, 1.0 - tracks.get(i).iou(d) * Math.min(d.score(), 1f));
      }
    }
    return cost;
  }

  /** {@code 1 - IoU}: the low-score stage's cost, written into {@code cost}. */
  static CostMatrix iou(List<Track> tracks, List<Detection> dets, CostMatrix cost) {
    cost.reset(tracks.size(), dets.size());
    for (int i = 0; i < tracks.size(); i++) {
      for (int j = 0; j < dets.size(); j++) {
        cost.set(i, j, 1.0 - tracks.get(i).iou(dets.get(j)));
      }
    }
    return cost;
  }

  /**
   * Distance from the track's predicted centre to the detection's, in heights of the larger box;
   * {@link #NEVER} when one box is more than {@code maxSizeRatio} times the other's height. For a
   * track whose box an occluder cut, the centre stretches {@code cutReach} times the width the box
   * lost ahead of its horizontal motion, where the hidden front reappears. Written into {@code
   * cost}.
   */
  static CostMatrix centre(
      List<Track> tracks,
      List<Detection> dets,
      double maxSizeRatio,
      double cutReach,
      CostMatrix cost) {
    cost.reset(tracks.size(), dets.size());
    for (int i = 0; i < tracks.size(); i++) {
      Track t = tracks.get(i);
      double th = t.y2() - t.y1();
      double ahead = Math.signum(t.filter().vx());
      double reach = cutReach * t.cutWidth();
      for (int j = 0; j < dets.size(); j++) {
        Detection d = dets.get(j);
        double dh = d.height();
        double larger = Math.max(th, dh);
        if (!(th > 0) || larger > maxSizeRatio * Math.min(th, dh)) {
          cost.set(i, j, NEVER);
          continue;
        }
        double dx = (d.x1() + d.x2()) / 2.0 - (t.x1() + t.x2()) / 2;
        if (dx * ahead > 0) {
          dx = Math.max(0, Math.abs(dx) - reach);
        }
        double dy = (d.y1() + d.y2()) / 2.0 - (t.y1() + t.y2()) / 2;
        cost.set(i, j, Math.hypot(dx, dy) / larger);
      }
    }
    return cost;
  }
}
