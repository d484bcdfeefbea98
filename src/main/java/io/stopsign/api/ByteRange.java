package io.stopsign.api;

/**
 * One {@code Range: bytes=...} of a file (RFC 9110): {@code first-last}, {@code first-} or {@code
 * -suffix}. A header this cannot read, or one asking several ranges, is ignored (the whole file is
 * sent, as the RFC allows); a range wholly past the end is refused with 416.
 */
record ByteRange(long first, long last) {

  long length() {
    return last - first + 1;
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * The range {@code header} asks of a file of {@code size} bytes; null for the whole file.
   *
   * @throws ApiException 416 when the range starts past the end
   */
  static ByteRange of(String header, long size) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    long first;
    long last;
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0) {
          throw unsatisfiable(size);
        }
        first = Math.max(0, size - suffix);
        last = size - 1;
      } else {
        first = Long.parseLong(a);
        last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) {
          return null; // not a valid range: ignored
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    if (first >= size) {
      throw unsatisfiable(size);
    }
    return new ByteRange(first, last);
  }

  private static ApiException unsatisfiable(long size) {
    return new ApiException(
        416, "range_not_satisfiable", "The range lies past the end of the " + size + "-byte file.");
  }
}
