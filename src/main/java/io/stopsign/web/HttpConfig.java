package io.stopsign.web;

import io.stopsign.config.ConfigReader;

/** {@code http.*}: where the pages, API, WebSocket and probes listen. */
public record HttpConfig(String host, int port, String token) {

  public static HttpConfig from(ConfigReader r) {
    HttpConfig c =
        new HttpConfig(
            r.string("host", "127.0.0.1"), r.integer("port", 8080, 0, 65535), r.string("token", ""));
    r.done();
    return c;
  }
}
