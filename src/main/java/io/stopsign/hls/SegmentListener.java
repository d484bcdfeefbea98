package io.stopsign.hls;

import java.nio.file.Path;

/**
 * Told of each finished HLS segment, on the decode thread, before the playlist lists it (the file
 * is complete and still on disk): replay clips keep their own links to segments this way.
 */
public interface SegmentListener {

  /**
   * One finished segment.
   *
   * @param file the segment file; it will be deleted once it leaves the live window
   * @param startUtc capture time of its first frame, epoch seconds
   * @param seconds its duration
   * @param discontinuity whether it starts a new session or new stream parameters
   * @param sourceWidth width of the camera's own pictures (the segment may be scaled down)
   * @param sourceHeight height of the camera's own pictures
   */
  record Finished(
      Path file,
      double startUtc,
      double seconds,
      boolean discontinuity,
      int sourceWidth,
      int sourceHeight) {}

  void finished(Finished segment);
}
