package io.stopsign.cluster;

/**
 * A camera lease as stored in the cluster map: {@code node|expiresAtMillis}. Plain strings so that
 * compare-and-set works the same on Hazelcast and on a single node's local map.
 */
record Lease(String node, long expiresAtMs) {

  static Lease parse(String value) {
    if (value == null) {
      return null;
    }
    int bar = value.lastIndexOf('|');
    try {
      return new Lease(value.substring(0, bar), Long.parseLong(value.substring(bar + 1)));
    } catch (RuntimeException e) {
      return new Lease(value, 0); // unreadable: treat as expired so it can be taken
    }
  }

  boolean expired(long nowMs) {
    return nowMs >= expiresAtMs;
  }

  String value() {
    return node + "|" + expiresAtMs;
  }
}
