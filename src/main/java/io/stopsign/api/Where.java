package io.stopsign.api;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause assembled from constant SQL fragments with numbered parameters; values only ever
 * travel as parameters, never inside the SQL text.
 */
final class Where {
  private final List<String> conditions = new ArrayList<>();
  private final Tuple params = Tuple.tuple();

  /** Adds a condition whose {@code ?} marks are replaced, in order, by the given parameters. */
  Where and(String condition, Object... values) {
    StringBuilder sql = new StringBuilder();
    int next = 0;
    for (char c : condition.toCharArray()) {
      if (c == '?') {
        params.addValue(values[next++]);
        sql.append('$').append(params.size());
      } else {
        sql.append(c);
      }
    }
    if (next != values.length) {
      throw new IllegalArgumentException("placeholders and values differ in " + condition);
    }
    conditions.add(sql.toString());
    return this;
  }

  /** Like {@link #and} when the value is present; nothing when it is null. */
  Where andIf(Object value, String condition) {
    return value == null ? this : and(condition, value);
  }

  /** The next parameter's placeholder, for LIMIT and friends after the conditions. */
  String param(Object value) {
    params.addValue(value);
    return "$" + params.size();
  }

  String sql() {
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  Tuple params() {
    return params;
  }
}
