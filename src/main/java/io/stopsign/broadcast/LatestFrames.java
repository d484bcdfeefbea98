package io.stopsign.broadcast;

import java.util.HashMap;
import java.util.Map;

/**
 * Which metadata frame may still go to the browsers of a camera: within a decode run only a later
 * frame, across runs only one captured no earlier than the last sent. So reordering on the cluster
 * bus, or two analyzers briefly decoding the same camera while a lease moves, never makes the
 * overlay jump back in time.
 */
final class LatestFrames {
  private record Last(String runId, long frame, double tsUtc) {}

  private final Map<String, Last> last = new HashMap<>();

  /** True (and remembered) when the frame is newer than the last one sent for its camera. */
  boolean admit(String camera, String runId, long frame, double tsUtc) {
    Last before = last.get(camera);
    boolean newer;
    if (before == null) {
      newer = true;
    } else if (before.runId().equals(runId)) {
      newer = frame > before.frame();
    } else {
      newer = tsUtc >= before.tsUtc();
    }
    if (newer) {
      last.put(camera, new Last(runId, frame, tsUtc));
    }
    return newer;
  }
}
