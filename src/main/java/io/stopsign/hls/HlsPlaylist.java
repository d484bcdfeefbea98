package io.stopsign.hls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The live playlist {@code index.m3u8}: a sliding window of the latest segments, each stamped with
 * {@code EXT-X-PROGRAM-DATE-TIME} from its first frame's capture time so the browser can map video
 * time to UTC, and a {@code HOLD-BACK} of two segments that tells the player how close to the live
 * edge to play. Rewritten atomically after each segment; segment files that left the window (plus a
 * short grace for slow clients) are deleted.
 */
final class HlsPlaylist {
  static final String NAME = "index.m3u8";
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** One finished segment file. */
  record Segment(
      long sequence, String file, double duration, double programDateTime, boolean discontinuity) {}

  private final Path dir;
  private final int window;
  private final int grace;
  private final ArrayDeque<Segment> listed = new ArrayDeque<>();
  private final ArrayDeque<Segment> leaving = new ArrayDeque<>();
  private long discontinuitySequence;
  private int targetDuration;

  /**
   * @param window segments listed
   * @param grace segments kept on disk after leaving the list, for clients still fetching them
   */
  HlsPlaylist(Path dir, int window, int grace, int minTargetDuration) {
    this.dir = dir;
    this.window = window;
    this.grace = grace;
    this.targetDuration = minTargetDuration;
  }

  /** Lists a finished segment, rewrites the playlist and deletes files past the window. */
  void add(Segment segment) throws IOException {
    listed.addLast(segment);
    // EXTINF rounded to the nearest integer must not exceed the target duration
    targetDuration = Math.max(targetDuration, (int) Math.round(segment.duration()));
    while (listed.size() > window) {
      Segment gone = listed.removeFirst();
      if (gone.discontinuity()) {
        discontinuitySequence++;
      }
      leaving.addLast(gone);
    }
    write();
    while (leaving.size() > grace) {
      Files.deleteIfExists(dir.resolve(leaving.removeFirst().file()));
    }
  }

  String render() {
    StringBuilder m3u8 = new StringBuilder(512);
    m3u8.append("#EXTM3U\n#EXT-X-VERSION:3\n");
    m3u8.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
    m3u8.append("#EXT-X-MEDIA-SEQUENCE:")
        .append(listed.isEmpty() ? 0 : listed.getFirst().sequence())
        .append('\n');
    if (discontinuitySequence > 0) {
      m3u8.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
    }
    if (!listed.isEmpty()) {
      // players start this far behind the live edge: two segments buffered, at the lowest lag
      m3u8.append(String.format(Locale.ROOT, "#EXT-X-SERVER-CONTROL:HOLD-BACK=%.3f%n", holdBack()));
    }
    for (Segment s : listed) {
      if (s.discontinuity()) {
        m3u8.append("#EXT-X-DISCONTINUITY\n");
      }
      m3u8.append("#EXT-X-PROGRAM-DATE-TIME:").append(isoTime(s.programDateTime())).append('\n');
      m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", s.duration()));
      m3u8.append(s.file()).append('\n');
    }
    return m3u8.toString();
  }

  private void write() throws IOException {
    Path tmp = dir.resolve(NAME + ".tmp");
    Files.writeString(tmp, render(), StandardCharsets.UTF_8);
    Files.move(
        tmp,
        dir.resolve(NAME),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  static String isoTime(double epochSeconds) {
    long millis = Math.round(epochSeconds * 1000);
    return ISO.format(Instant.ofEpochMilli(millis));
  }

  /** Seconds behind the live edge the player should play: twice the longest listed segment. */
  double holdBack() {
    return 2 * listed.stream().mapToDouble(Segment::duration).max().orElse(targetDuration);
  }

  List<Segment> segments() {
    return new ArrayList<>(listed);
  }

  int targetDuration() {
    return targetDuration;
  }
}
