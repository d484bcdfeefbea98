package io.stopsign.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A half-open time range {@code [from, to)} from the {@code from}/{@code to} query parameters, each
 * an RFC 3339 date-time or epoch seconds. Either end may be absent ({@code null}) for open ranges.
 */
record TimeRange(Instant from, Instant to) {
  /** Longest range an aggregate may cover: a year, leap day included. */
  static final Duration MAX_SPAN = Duration.ofDays(366);

  // An offset whose '+' was sent unencoded arrives as a space ("...T10:00:00 02:00").
  private static final Pattern BARE_PLUS = Pattern.compile("(.*\\d) (\\d{2}:\\d{2})");
  private static final Pattern EPOCH = Pattern.compile("-?\\d{1,12}(\\.\\d{1,9})?");
  // Postgres timestamps stop at year 294276; 9999 keeps both sides comfortable.
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** A range whose ends may both be open (listing passes). */
  static TimeRange open(String from, String to) {
    TimeRange r = new TimeRange(parse("from", from), parse("to", to));
    if (r.from != null && r.to != null && r.from.isAfter(r.to)) {
      throw ApiException.badRequest("bad_range", "from (" + from + ") is after to (" + to + ").");
    }
    return r;
  }

  /**
   * A closed range for aggregates: {@code to} defaults to now, {@code from} to {@code to - span};
   * longer than {@link #MAX_SPAN} is refused.
   */
  static TimeRange closed(String from, String to, Duration defaultSpan, Instant now) {
    Instant end = parse("to", to);
    Instant start = parse("from", from);
    if (end == null) {
      end = now;
    }
    if (start == null) {
      start = end.minus(defaultSpan);
    }
    if (start.isAfter(end)) {
      throw ApiException.badRequest(
          "bad_range",
          "from ("
              + (from == null ? start : from)
              + ") is after to ("
              + (to == null ? "now" : to)
              + ").");
    }
    if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
      throw ApiException.badRequest(
          "bad_range",
          "The range from "
              + start
              + " to "
              + end
              + " is longer than "
              + MAX_SPAN.toDays()
              + " days.");
    }
    return new TimeRange(start, end);
  }

  /** An RFC 3339 date-time or epoch seconds; {@code null} when absent. */
  static Instant parse(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    Instant t;
    Matcher plus = BARE_PLUS.matcher(value);
    if (plus.matches()) {
      value = plus.group(1) + "+" + plus.group(2);
    }
    try {
      if (EPOCH.matcher(value).matches()) {
        BigDecimal seconds = new BigDecimal(value);
        long whole = seconds.longValue();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        t = Instant.ofEpochSecond(whole, nanos);
      } else {
        t = OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).toInstant();
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      throw badTime(name, value);
    }
    if (t.isBefore(Instant.EPOCH) || t.isAfter(LATEST)) {
      throw badTime(name, value);
    }
    return t;
  }

  OffsetDateTime fromUtc() {
    return from == null ? null : OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
  }

  OffsetDateTime toUtc() {
    return to == null ? null : OffsetDateTime.ofInstant(to, ZoneOffset.UTC);
  }

  private static ApiException badTime(String name, String value) {
    return ApiException.badRequest(
        "bad_time",
        name
            + " must be an RFC 3339 date-time such as 2024-09-13T08:00:00Z or epoch seconds"
            + " between 1970 and 9999, not '"
            + value
            + "'.");
  }
}
