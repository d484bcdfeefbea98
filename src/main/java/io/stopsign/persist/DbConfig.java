package io.stopsign.persist;

import io.stopsign.config.ConfigReader;

/** {@code db.*}: the Postgres store; an empty url starts embedded Postgres under the data directory. */
public record DbConfig(String url, String user, String password, int poolSize) {

  public boolean embedded() {
    return url.isEmpty();
  }

  public static DbConfig from(ConfigReader r) {
    DbConfig c =
        new DbConfig(
            r.string("url", ""),
            r.string("user", ""),
            r.string("password", ""),
            r.integer("pool_size", 4, 1, 64));
    r.done();
    return c;
  }
}
