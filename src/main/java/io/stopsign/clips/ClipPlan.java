package io.stopsign.clips;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which recorded segments make the clip of a pass: those overlapping {@code [from, to]}, cut into
 * runs that play as one timeline (a discontinuity, a new session or new stream parameters, ends a
 * run; a jump of the capture clock does not, the clip's anchors map it), and of those the run that
 * shows most of the pass itself.
 */
final class ClipPlan {

  static List<RecordedSegment> choose(
      List<RecordedSegment> recorded, double from, double to, double entry, double exit) {
    List<RecordedSegment> overlapping =
        recorded.stream()
            .filter(s -> s.endUtc() > from && s.startUtc() < to)
            .sorted(Comparator.comparingDouble(RecordedSegment::startUtc))
            .toList();
    List<List<RecordedSegment>> runs = new ArrayList<>();
    List<RecordedSegment> run = new ArrayList<>();
    for (RecordedSegment s : overlapping) {
      if (!run.isEmpty()) {
        if (s.discontinuity()) {
          runs.add(run);
          run = new ArrayList<>();
        }
      }
      run.add(s);
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    List<RecordedSegment> best = List.of();
    double bestShown = -1;
    for (List<RecordedSegment> r : runs) {
      double start = r.get(0).startUtc();
      double end = r.get(r.size() - 1).endUtc();
      double shown = Math.max(0, Math.min(end, exit) - Math.max(start, entry));
      if (shown >= bestShown) {
        best = r;
        bestShown = shown;
      }
    }
    return best;
  }

  private ClipPlan() {}
}
