package io.stopsign.api;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The position after the last pass of a page: (ts_utc, id) in the order ts_utc DESC, id DESC, sent
 * to clients as opaque base64url. Microseconds keep the timestamp exact (Postgres precision).
 */
record PassCursor(OffsetDateTime ts, UUID id) {
  private static final Pattern FORMAT =
      Pattern.compile(
          "1\\.(-?\\d{1,19})\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  String encode() {
    Instant t = ts.toInstant();
    long micros =
        Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    String plain = "1." + micros + "." + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static PassCursor decode(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      Matcher m = FORMAT.matcher(plain);
      if (!m.matches()) {
        throw bad();
      }
      long micros = Long.parseLong(m.group(1));
      Instant t =
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
      // Postgres timestamps end at 4713 BC and 294276 AD: a cursor outside the API's years is
      // forged
      if (t.isBefore(Instant.EPOCH) || t.isAfter(LATEST)) {
        throw bad();
      }
      return new PassCursor(
          OffsetDateTime.ofInstant(t, ZoneOffset.UTC), UUID.fromString(m.group(2)));
    } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
      throw bad();
    }
  }

  private static ApiException bad() {
    return ApiException.badRequest(
        "bad_cursor",
        "cursor is not a cursor this API gave out; pass next_cursor of the previous page as it"
            + " is.");
  }
}
