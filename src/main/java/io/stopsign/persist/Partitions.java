package io.stopsign.persist;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily partitions of {@code detections} ({@code detections_pYYYYMMDD}, UTC days). There is
 * deliberately no DEFAULT partition: once a default holds rows of a day, creating that day's
 * partition fails, so the writer instead creates the partition of every day it is about to write
 * (today and tomorrow ahead of time, any other day on demand). Retention drops whole days.
 */
final class Partitions {
  private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);
  private static final DateTimeFormatter NAME_DAY = DateTimeFormatter.BASIC_ISO_DATE;
  private static final Pattern NAME = Pattern.compile("detections_p(\\d{8})");

  private final Pool pool;

  /** Days known to exist; forgotten when an insert reports a missing partition. */
  private final Set<LocalDate> known = new HashSet<>();

  Partitions(Pool pool) {
    this.pool = pool;
  }

  static String name(LocalDate day) {
    return "detections_p" + NAME_DAY.format(day);
  }

  /** Creates the partitions of the given days that are not known to exist. */
  Future<Void> ensure(Collection<LocalDate> days) {
    Future<Void> chain = Future.succeededFuture();
    for (LocalDate day : days) {
      if (!known.contains(day)) {
        chain = chain.compose(v -> create(day));
      }
    }
    return chain;
  }

  private Future<Void> create(LocalDate day) {
    String sql =
        "CREATE TABLE IF NOT EXISTS "
            + name(day)
            + " PARTITION OF detections FOR VALUES FROM ('"
            + day
            + " 00:00:00+00') TO ('"
            + day.plusDays(1)
            + " 00:00:00+00')";
    return pool.query(sql)
        .execute()
        // Two writers creating the same day race on the catalog: the loser finds it there on retry.
        .recover(e -> pool.query(sql).execute())
        .map(
            rows -> {
              if (known.add(day)) {
                LOG.debug("partition {} ready", name(day));
              }
              return null;
            });
  }

  void forget() {
    known.clear();
  }

  /** Days that have a partition, oldest first. */
  Future<List<LocalDate>> list() {
    return pool.query(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'detections'::regclass ORDER BY c.relname")
        .execute()
        .map(
            rows -> {
              List<LocalDate> days = new ArrayList<>();
              for (Row row : rows) {
                Matcher m = NAME.matcher(row.getString(0));
                if (m.matches()) {
                  try {
                    days.add(LocalDate.parse(m.group(1), NAME_DAY));
                  } catch (DateTimeParseException e) {
                    // not one of ours: leave it alone
                  }
                }
              }
              return days;
            });
  }

  /** Drops the partitions of days before {@code firstKept}; returns the days dropped. */
  Future<List<LocalDate>> dropBefore(LocalDate firstKept) {
    return list()
        .compose(
            days -> {
              List<LocalDate> old = days.stream().filter(d -> d.isBefore(firstKept)).toList();
              Future<Void> chain = Future.succeededFuture();
              for (LocalDate day : old) {
                chain =
                    chain.compose(
                        v -> pool.query("DROP TABLE IF EXISTS " + name(day)).execute().mapEmpty());
              }
              return chain.map(
                  v -> {
                    old.forEach(known::remove);
                    if (!old.isEmpty()) {
                      LOG.info(
                          "retention dropped detections of {} day(s), up to {}",
                          old.size(),
                          old.get(old.size() - 1));
                    }
                    return old;
                  });
            });
  }
}
