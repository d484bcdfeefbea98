package io.stopsign.camera;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a camera source is shown to clients ({@code /api/cameras}, {@code /ready}): camera URLs carry
 * passwords, paths and tokens, and file paths say how the host is laid out, so only the scheme and
 * host are shown.
 */
public final class SourceNames {
  private static final Pattern URL =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*).*", Pattern.DOTALL);
  // a URL inside a sentence: the punctuation that ends the sentence is no part of it
  private static final Pattern ANY_URL =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s'\"]*[^\\s'\".,;:)\\]]");

  /** Scheme and host only, or "file", or "testpattern". */
  public static String shown(String source) {
    if (source.equals("testpattern")) {
      return source;
    }
    Matcher m = URL.matcher(source);
    if (!m.matches()) {
      return "file";
    }
    String authority = m.group(2);
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      host = end < 0 ? "" : hostPort.substring(0, end + 1);
    } else {
      int colon = hostPort.indexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    return host.isEmpty() ? scheme : scheme + "://" + host;
  }

  /** The text with every URL in it shown as {@link #shown}, and the source itself too. */
  public static String scrub(String text, String source) {
    String out = source.isEmpty() ? text : text.replace(source, shown(source));
    return ANY_URL.matcher(out).replaceAll(m -> Matcher.quoteReplacement(shown(m.group())));
  }

  private SourceNames() {}
}
