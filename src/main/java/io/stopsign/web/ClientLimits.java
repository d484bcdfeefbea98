package io.stopsign.web;

import io.stopsign.config.ConfigReader;

/**
 * {@code http.*} limits on what one client, and all of them together, may take.
 *
 * @param wsMaxClients WebSocket clients at once, all addresses together
 * @param wsMaxPerAddress WebSocket clients at once from one address
 * @param wsPingSeconds seconds between server pings; a client that answers none of two is closed
 * @param requestsPerSecond API requests and WebSocket connects per second per address (bursts of
 *     twice that); 0 = no limit
 */
public record ClientLimits(
    int wsMaxClients, int wsMaxPerAddress, int wsPingSeconds, int requestsPerSecond) {

  public static final ClientLimits DEFAULTS = new ClientLimits(500, 20, 30, 50);

  static ClientLimits from(ConfigReader r) {
    return new ClientLimits(
        r.integer("ws_max_clients", DEFAULTS.wsMaxClients, 1, 100_000),
        r.integer("ws_max_clients_per_address", DEFAULTS.wsMaxPerAddress, 1, 100_000),
        r.integer("ws_ping_seconds", DEFAULTS.wsPingSeconds, 1, 3600),
        r.integer("rate_limit_per_second", DEFAULTS.requestsPerSecond, 0, 1_000_000));
  }
}
