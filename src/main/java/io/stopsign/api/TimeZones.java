package io.stopsign.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/** Time zones for analytics buckets: what a client may ask for, and how Postgres must be told. */
final class TimeZones {

  /**
   * An IANA region name such as Europe/Paris or UTC; offsets and aliases like GMT+2 are refused.
   */
  static ZoneId parse(String tz) {
    if (tz != null && ZoneId.getAvailableZoneIds().contains(tz)) {
      try {
        return ZoneId.of(tz);
      } catch (DateTimeException e) {
        // falls through to the refusal below
      }
    }
    throw ApiException.badRequest(
        "bad_timezone",
        "tz must be an IANA time zone such as Europe/Paris or UTC, not '" + tz + "'.");
  }

  /**
   * The zone's name for Postgres. Fixed offsets need care: Postgres reads '+02:00' and 'GMT+2' the
   * POSIX way (positive = west of Greenwich), so they are written as POSIX specs with the sign
   * flipped.
   */
  static String postgresName(ZoneId zone) {
    if (ZoneId.getAvailableZoneIds().contains(zone.getId())) {
      return zone.getId();
    }
    if (!zone.getRules().isFixedOffset()) {
      return zone.getId();
    }
    ZoneOffset offset = zone.getRules().getOffset(Instant.EPOCH);
    int seconds = offset.getTotalSeconds();
    if (seconds == 0) {
      return "UTC";
    }
    int abs = Math.abs(seconds);
    // POSIX: "UTC-05:30" is five and a half hours EAST of Greenwich.
    return String.format(
        Locale.ROOT,
        "UTC%s%02d:%02d:%02d",
        seconds > 0 ? "-" : "+",
        abs / 3600,
        abs / 60 % 60,
        abs % 60);
  }

  private TimeZones() {}
}
