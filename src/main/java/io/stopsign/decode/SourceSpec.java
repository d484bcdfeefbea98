package io.stopsign.decode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a configured {@code source} string means to FFmpeg: the URL, the input format, the demuxer
 * options (TCP for RTSP, I/O timeouts for network reads) and whether frames must be paced to real
 * time.
 *
 * @param url what avformat_open_input receives
 * @param inputFormat forced input format ({@code lavfi} for the test pattern), or null to probe
 * @param paced sleep until each frame's media time: files and test patterns, not live streams
 * @param display the source for logs and health data, without any password
 */
public record SourceSpec(
    Kind kind,
    String url,
    String inputFormat,
    Map<String, String> options,
    boolean paced,
    String display) {

  /** Where the pictures come from. */
  public enum Kind {
    RTSP,
    NETWORK,
    FILE,
    TESTPATTERN
  }

  /** Socket I/O timeout handed to FFmpeg's protocols, in microseconds. */
  static final long IO_TIMEOUT_MICROS = 10_000_000L;

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
  private static final Pattern TESTPATTERN =
      Pattern.compile("testpattern(?:\\?size=(\\d{2,4})x(\\d{2,4}))?(?:[?&]rate=(\\d{1,3}))?");
  private static final Pattern PASSWORD =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@");

  public SourceSpec {
    options = Map.copyOf(options);
  }

  public SourceSpec(
      Kind kind, String url, String inputFormat, Map<String, String> options, boolean paced) {
    this(kind, url, inputFormat, options, paced, redact(url));
  }

  /** Parses a configured source; throws IllegalArgumentException with a readable reason. */
  public static SourceSpec parse(String source) {
    String s = source == null ? "" : source.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty source");
    }
    if (s.startsWith("testpattern")) {
      return testPattern(s);
    }
    Matcher m = SCHEME.matcher(s);
    if (!m.find()) {
      return file(Path.of(s));
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    Map<String, String> options = new LinkedHashMap<>();
    switch (scheme) {
      case "file":
        return file(Path.of(java.net.URI.create(s)));
      case "rtsp":
      case "rtsps":
        options.put("rtsp_transport", "tcp");
        // FFmpeg 5+: socket I/O timeout of the RTSP demuxer, in microseconds
        options.put("timeout", Long.toString(IO_TIMEOUT_MICROS));
        options.put("allowed_media_types", "video");
        return new SourceSpec(Kind.RTSP, s, null, options, false);
      case "http":
      case "https":
        options.put("rw_timeout", Long.toString(IO_TIMEOUT_MICROS));
        // a plain HTTP file would otherwise play as fast as it downloads
        return new SourceSpec(Kind.NETWORK, s, null, options, true);
      default:
        options.put("rw_timeout", Long.toString(IO_TIMEOUT_MICROS));
        return new SourceSpec(Kind.NETWORK, s, null, options, false);
    }
  }

  /** A file played at real-time speed. */
  public static SourceSpec file(Path path) {
    String p = path.toAbsolutePath().normalize().toString();
    return new SourceSpec(Kind.FILE, p, null, Map.of(), true, path.toString());
  }

  private static SourceSpec testPattern(String s) {
    Matcher m = TESTPATTERN.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "testpattern takes only ?size=WxH&rate=FPS, e.g. testpattern?size=1280x720&rate=30: "
              + s);
    }
    int w = m.group(1) == null ? 1280 : Integer.parseInt(m.group(1));
    int h = m.group(2) == null ? 720 : Integer.parseInt(m.group(2));
    int rate = m.group(3) == null ? 30 : Integer.parseInt(m.group(3));
    if (w < 16
        || h < 16
        || w > 3840
        || h > 2160
        || w % 2 != 0
        || h % 2 != 0
        || rate < 1
        || rate > 60) {
      throw new IllegalArgumentException(
          "testpattern size must be even, 16x16 to 3840x2160, rate 1-60: " + s);
    }
    String graph = "testsrc2=size=" + w + "x" + h + ":rate=" + rate;
    return new SourceSpec(Kind.TESTPATTERN, graph, "lavfi", Map.of(), true, s);
  }

  /** True for sources that are always there again after a reconnect (no network involved). */
  public boolean local() {
    return kind == Kind.FILE || kind == Kind.TESTPATTERN;
  }

  /** The URL with any password replaced, for logs and health data. */
  public static String redact(String url) {
    return PASSWORD.matcher(url).replaceFirst("$1:***@");
  }
}
