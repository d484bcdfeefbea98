package io.stopsign.cluster;

import io.micrometer.core.instrument.Gauge;
import io.stopsign.bus.HealthReporter;
import io.stopsign.ops.Meters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster: exports {@code stopsign_cluster_members}, reports the check
 * {@code cluster.<node>} (DOWN while no configured member could be reached), and logs one line when
 * the membership changes.
 */
public final class ClusterVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);

  private final String node;
  private final ClusterConfig config;
  private final Supplier<List<String>> members;
  private final AtomicInteger size = new AtomicInteger(1);
  private Gauge gauge;
  private HealthReporter health;
  private int logged = -1;

  /**
   * @param members the ids of the cluster's current members (from the cluster manager)
   */
  public ClusterVerticle(String node, ClusterConfig config, Supplier<List<String>> members) {
    this.node = node;
    this.config = config;
    this.members = members;
  }

  @Override
  public Future<?> start() {
    gauge =
        Gauge.builder("stopsign_cluster_members", size, AtomicInteger::get)
            .description("Members of the cluster this node sees (1 = alone)")
            .register(Meters.registry());
    health = new HealthReporter(vertx, "cluster." + node, node, this::status).start();
    return Future.succeededFuture();
  }

  private Status status() {
    int count = members.get().size();
    size.set(count);
    boolean expectsPeers =
        !config.kubernetesService().isEmpty()
            || config.members().stream().anyMatch(m -> !m.equals(self()));
    JsonObject data =
        new JsonObject()
            .put("members", count)
            .put("seeds", new JsonArray(config.members()))
            .put("kubernetes_service", config.kubernetesService());
    boolean up = count > 1 || !expectsPeers;
    if (count != logged) {
      logged = count;
      if (up) {
        LOG.info("cluster: {} member(s)", count);
      } else {
        LOG.warn("cluster not formed: no other member reachable ({})", where());
      }
    }
    return up
        ? Status.OK(data)
        : Status.KO(data.put("reason", "no other cluster member reachable (" + where() + ")"));
  }

  private String self() {
    return config.host() + ":" + config.port();
  }

  private String where() {
    return config.kubernetesService().isEmpty()
        ? "members " + String.join(", ", config.members())
        : "service " + config.kubernetesService();
  }

  @Override
  public Future<?> stop() {
    health.stop();
    Meters.registry().remove(gauge);
    return Future.succeededFuture();
  }
}
