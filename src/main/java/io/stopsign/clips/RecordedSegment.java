package io.stopsign.clips;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One recorded segment under {@code data_dir/recordings/<camera>/}; what a clip needs is in its
 * name, {@code <start ms>-<duration ms>-<width>x<height>[-d].ts}, so nothing else is kept.
 *
 * @param startUtc capture time of its first frame, epoch seconds
 * @param sourceWidth the camera's own picture width (the segment may be scaled down)
 * @param discontinuity it starts a new session or new stream parameters
 */
public record RecordedSegment(
    Path file,
    double startUtc,
    double seconds,
    int sourceWidth,
    int sourceHeight,
    boolean discontinuity) {

  private static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+)-(\\d+)x(\\d+)(-d)?\\.ts");

  public double endUtc() {
    return startUtc + seconds;
  }

  /** The file name that carries this segment's facts. */
  public static String name(
      double startUtc, double seconds, int width, int height, boolean discontinuity) {
    return String.format(
        Locale.ROOT,
        "%d-%d-%dx%d%s.ts",
        Math.round(startUtc * 1000),
        Math.max(1, Math.round(seconds * 1000)),
        width,
        height,
        discontinuity ? "-d" : "");
  }

  /** The segment a file name describes; empty for any other file. */
  public static Optional<RecordedSegment> parse(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new RecordedSegment(
              file,
              Long.parseLong(m.group(1)) / 1000.0,
              Long.parseLong(m.group(2)) / 1000.0,
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              m.group(5) != null));
    } catch (NumberFormatException e) {
      return Optional.empty(); // digits too many for a long: not one of ours
    }
  }
}
