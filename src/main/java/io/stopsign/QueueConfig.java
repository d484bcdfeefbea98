package io.stopsign;

import io.stopsign.config.ConfigReader;

/** {@code queues.*}: capacity of each bounded drop-oldest queue on the live path. */
public record QueueConfig(int frames, int detections, int metadata, int wsClient) {

  public static QueueConfig from(ConfigReader r) {
    QueueConfig c =
        new QueueConfig(
            r.integer("frames", 2, 1, 64),
            r.integer("detections", 8, 1, 1024),
            r.integer("metadata", 64, 1, 65536),
            r.integer("ws_client", 32, 1, 65536));
    r.done();
    return c;
  }
}
