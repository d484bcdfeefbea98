package io.stopsign.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.stopsign.ops.Meters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this analyzer's camera leases: a cluster map entry {@code camera -> node|expiry} renewed
 * every {@code renewMs} and good for {@code ttlMs}; only compare-and-set writes, so two analyzers
 * never both win one camera. A holder that dies stops renewing and its camera is taken by the
 * planned analyzer once the lease expires; a holder that cannot renew in time stops decoding before
 * its lease can expire; a joining analyzer gets its even share ({@link LeasePlan}) from holders
 * that have held a camera at least {@code minHoldMs}, so nothing flaps.
 */
public final class CameraLeaseVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CameraLeaseVerticle.class);
  static final String LEASES = "stopsign.camera-leases";
  static final String ANALYZERS = "stopsign.analyzers";

  private final String node;
  private final List<String> cameras;
  private final CameraPipelines pipelines;
  private final LeaseTiming timing;
  private final Map<String, LocalCamera> local = new HashMap<>();
  private final List<Meter> meters = new ArrayList<>();
  private Counter moves;
  private AsyncMap<String, String> leases;
  private AsyncMap<String, String> analyzers;
  private long timer = -1;
  private boolean busy;

  /** Timings in ms: lease TTL, renew period, least hold before a voluntary hand-over. */
  public record LeaseTiming(long ttlMs, long renewMs, long minHoldMs) {
    public static final LeaseTiming STANDARD = new LeaseTiming(10_000, 2_000, 15_000);
  }

  private static final class LocalCamera {
    boolean running; // desired: decode this camera here
    String lease; // the value we last wrote, null when not ours
    long renewedAt;
    long takenAt;
    Future<Void> chain = Future.succeededFuture();
  }

  public CameraLeaseVerticle(
      String node, List<String> cameras, CameraPipelines pipelines, LeaseTiming timing) {
    this.node = node;
    this.cameras = List.copyOf(cameras);
    this.pipelines = pipelines;
    this.timing = timing;
  }

  @Override
  public Future<?> start() {
    moves =
        Counter.builder("stopsign_camera_lease_moves")
            .description("Camera leases taken by this analyzer (start, fail-over or rebalance)")
            .register(Meters.registry());
    meters.add(moves);
    for (String camera : cameras) {
      LocalCamera state = new LocalCamera();
      local.put(camera, state);
      meters.add(
          Gauge.builder("stopsign_camera_lease", state, s -> s.running ? 1 : 0)
              .description("1 while this node holds the camera's lease and analyses it")
              .tags("camera", camera, "node", node)
              .register(Meters.registry()));
    }
    return Future.all(
            vertx.sharedData().<String, String>getAsyncMap(LEASES),
            vertx.sharedData().<String, String>getAsyncMap(ANALYZERS))
        .onSuccess(
            maps -> {
              leases = maps.resultAt(0);
              analyzers = maps.resultAt(1);
              timer = vertx.setPeriodic(0, timing.renewMs(), id -> tick());
            });
  }

  private void tick() {
    long now = System.currentTimeMillis();
    local.forEach((camera, state) -> checkDeadline(camera, state, now));
    if (busy) {
      return; // the cluster map is slow (a member just died): the deadline check above still ran
    }
    busy = true;
    analyzers
        .put(node, Long.toString(now + timing.ttlMs()))
        .compose(v -> analyzers.entries())
        .compose(
            entries ->
                leases
                    .entries()
                    .compose(current -> Future.join(plan(now, live(entries, now), current))))
        .onFailure(e -> LOG.warn("camera leases not renewed this round: {}", e.getMessage()))
        .onComplete(x -> busy = false);
  }

  private static List<String> live(Map<String, String> entries, long now) {
    List<String> live = new ArrayList<>();
    entries.forEach(
        (node, expiry) -> {
          try {
            if (Long.parseLong(expiry) > now) {
              live.add(node);
            }
          } catch (NumberFormatException e) {
            // a foreign entry names no analyzer
          }
        });
    return live.stream().sorted().toList();
  }

  private List<Future<?>> plan(long now, List<String> live, Map<String, String> current) {
    Map<String, String> holders = new HashMap<>();
    current.forEach(
        (camera, value) -> {
          Lease lease = Lease.parse(value);
          if (!lease.expired(now)) {
            holders.put(camera, lease.node());
          }
        });
    Map<String, String> plan = LeasePlan.of(cameras, live, holders);
    List<Future<?>> steps = new ArrayList<>();
    for (String camera : cameras) {
      steps.add(step(camera, current.get(camera), plan.get(camera), live, now));
    }
    return steps;
  }

  private Future<?> step(String camera, String value, String target, List<String> live, long now) {
    LocalCamera state = local.get(camera);
    Lease lease = Lease.parse(value);
    String next = new Lease(node, now + timing.ttlMs()).value();
    if (lease != null && lease.node().equals(node) && !lease.expired(now)) {
      if (target != null
          && !target.equals(node)
          && live.contains(target)
          && now - state.takenAt >= timing.minHoldMs()) {
        LOG.info("camera {} lease handed over to {} (rebalance)", camera, target);
        return stopLocal(camera, state).compose(x -> leases.removeIfPresent(camera, value));
      }
      return leases
          .replaceIfPresent(camera, value, next)
          .onSuccess(
              renewed -> {
                if (renewed) {
                  state.lease = next;
                  state.renewedAt = now;
                  if (!state.running) {
                    startLocal(camera, state, now);
                  }
                } else {
                  LOG.warn("camera {} lease lost: taken by another analyzer", camera);
                  stopLocal(camera, state);
                }
              });
    }
    if (lease != null && !lease.expired(now)) {
      if (state.running) {
        LOG.warn("camera {} lease is held by {}: stopping here", camera, lease.node());
        stopLocal(camera, state);
      }
      return Future.succeededFuture();
    }
    if (!node.equals(target)) {
      return Future.succeededFuture();
    }
    Future<Boolean> taken =
        value == null
            ? leases.putIfAbsent(camera, next).map(previous -> previous == null)
            : leases.replaceIfPresent(camera, value, next);
    return taken.onSuccess(
        won -> {
          if (won) {
            LOG.info(
                "camera {} lease taken{}",
                camera,
                lease == null ? "" : " (expired lease of " + lease.node() + ")");
            moves.increment();
            state.lease = next;
            state.renewedAt = now;
            startLocal(camera, state, now);
          }
        });
  }

  private void checkDeadline(String camera, LocalCamera state, long now) {
    // stop before the lease can expire elsewhere, so the next holder never overlaps for long
    if (state.running && now - state.renewedAt > timing.ttlMs() - timing.renewMs()) {
      LOG.warn(
          "camera {} lease not renewed for {} ms (cluster unreachable?): stopping its decode",
          camera,
          now - state.renewedAt);
      stopLocal(camera, state);
    }
  }

  private void startLocal(String camera, LocalCamera state, long now) {
    state.running = true;
    state.takenAt = now;
    state.chain =
        state.chain.transform(
            x ->
                pipelines
                    .start(camera)
                    .onFailure(
                        e -> {
                          LOG.error("camera {} did not start here: {}", camera, e.getMessage());
                          state.running = false;
                          if (state.lease != null) {
                            leases.removeIfPresent(camera, state.lease);
                          }
                        }));
  }

  private Future<Void> stopLocal(String camera, LocalCamera state) {
    state.running = false;
    state.lease = null;
    state.chain = state.chain.transform(x -> pipelines.stop(camera));
    return state.chain;
  }

  /** Stops renewing without releasing anything, as a killed process would (tests). */
  void halt() {
    vertx.cancelTimer(timer);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    meters.forEach(Meters.registry()::remove);
    List<Future<?>> released = new ArrayList<>();
    local.forEach(
        (camera, state) -> {
          String held = state.lease;
          if (state.running) {
            Future<?> stopped = stopLocal(camera, state);
            released.add(
                held == null
                    ? stopped
                    : stopped.compose(x -> leases.removeIfPresent(camera, held)));
          }
        });
    if (analyzers != null) {
      released.add(analyzers.remove(node));
    }
    return Future.join(released);
  }
}
