package io.stopsign.web;

import io.micrometer.core.instrument.Counter;
import io.stopsign.ops.Meters;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per client address token buckets for API requests and WebSocket connects: {@code perSecond}
 * tokens a second, bursts of twice that. Over it: 429 with Retry-After. Buckets of addresses that
 * are quiet again are forgotten by {@link #prune}, so the map stays as small as the active clients.
 */
final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Counter limited =
      Counter.builder("stopsign_http_rate_limited")
          .description("Requests and WebSocket connects refused with 429 by the per-client limit")
          .register(Meters.registry());

  /** One address's tokens; synchronised on itself (requests of one client come on any loop). */
  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedNanos = now;
    }
  }

  RateLimiter(int perSecond) {
    this.perSecond = perSecond;
    this.burst = 2.0 * perSecond;
  }

  void handle(RoutingContext ctx) {
    if (perSecond <= 0) {
      ctx.next();
      return;
    }
    SocketAddress remote = ctx.request().remoteAddress();
    String address = remote == null ? "" : remote.hostAddress();
    long waitMs = take(address, System.nanoTime());
    if (waitMs == 0) {
      ctx.next();
      return;
    }
    limited.increment();
    ctx.response().putHeader("retry-after", Long.toString(Math.max(1, (waitMs + 999) / 1000)));
    ErrorResponses.send(
        ctx,
        429,
        "more than "
            + (long) perSecond
            + " requests a second from this address; retry after the Retry-After seconds");
  }

  /** Takes a token; returns 0, or how long (ms) until one is there. */
  long take(String address, long now) {
    Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
    synchronized (bucket) {
      double elapsed = (now - bucket.updatedNanos) / 1e9;
      bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
      bucket.updatedNanos = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - bucket.tokens) / perSecond * 1000);
    }
  }

  /** Forgets the addresses whose bucket has filled up again (quiet clients). */
  void prune(long now) {
    buckets
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                double elapsed = (now - e.getValue().updatedNanos) / 1e9;
                return e.getValue().tokens + elapsed * perSecond >= burst;
              }
            });
  }

  int tracked() {
    return buckets.size();
  }

  void close() {
    Meters.registry().remove(limited);
  }
}
