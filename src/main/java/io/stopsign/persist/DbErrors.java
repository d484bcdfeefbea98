package io.stopsign.persist;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;

/** Tells an unreachable or unwritable database (spool and retry) from a row it refused (reject). */
final class DbErrors {

  /**
   * True when the failure says nothing about the rows: no connection, timeout, server shutting
   * down, out of resources, read-only, serialization conflicts. Anything else the server answered
   * (bad data, constraint, undefined object) is about the rows and retrying would not help.
   */
  static boolean unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadRecord) {
        return false;
      }
      String state = null;
      if (t instanceof PgException pg) {
        state = pg.getSqlState();
      } else if (t instanceof SQLException sql) {
        state = sql.getSQLState();
      }
      if (state != null && state.length() >= 2) {
        return switch (state.substring(0, 2)) {
          case "08", "25", "40", "53", "57", "58", "XX" -> true;
          default -> false;
        };
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return true; // no SQL state: connection refused or closed, pool timeout, our own timeout
  }

  /** A record that cannot even be bound to its statement (e.g. a damaged spool line). */
  static final class BadRecord extends RuntimeException {
    BadRecord(String message) {
      super(message, null, false, false);
    }
  }

  /** One short line for logs and replies. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }

  /** The exception's name from a {@link #describe} line, without the message (hosts, ports). */
  static String kind(String described) {
    int colon = described.indexOf(':');
    return colon < 0 ? described : described.substring(0, colon);
  }

  private DbErrors() {}
}
