package io.stopsign.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.regex.Pattern;

/**
 * The Hazelcast member config of {@code cluster.*}: explicit join only, quick failure detection.
 */
public final class HazelcastSettings {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** Seconds without a heartbeat before a member counts as dead (default 60 s is too slow). */
  public static final int MAX_NO_HEARTBEAT_S = 8;

  public static Config of(ClusterConfig cluster) {
    Config config = ConfigUtil.loadConfig(); // Vert.x's maps (subscriptions, node info)
    config.setClusterName("stopsign");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(MAX_NO_HEARTBEAT_S));
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // two halves that formed apart (started at once) merge in seconds, not Hazelcast's 5 minutes
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.setPublicAddress(cluster.host() + ":" + cluster.port());
    if (IPV4.matcher(cluster.host()).matches()) {
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesService().isEmpty()) {
      join.getTcpIpConfig()
          .setEnabled(true)
          .setConnectionTimeoutSeconds(2)
          .setMembers(cluster.members());
    } else {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesService())
          .setProperty("service-port", Integer.toString(cluster.port()));
    }
    return config;
  }

  private HazelcastSettings() {}
}
