package io.stopsign.cluster;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code cluster.*}: whether this process joins a Hazelcast cluster and how it finds the others.
 *
 * @param enabled false = one process, Hazelcast never started
 * @param host address Hazelcast and the event bus bind to and announce (a pod IP on Kubernetes)
 * @param port Hazelcast's port; the event bus listens on {@code port + 1}
 * @param members {@code host:port} of other members for TCP-IP join
 * @param kubernetesService DNS name of a headless Service for Kubernetes discovery (DNS mode)
 */
public record ClusterConfig(
    boolean enabled, String host, int port, List<String> members, String kubernetesService) {

  public static final ClusterConfig DEFAULTS =
      new ClusterConfig(false, "127.0.0.1", 5701, List.of(), "");

  // A host name or an IPv4 literal: letters, digits, dots and dashes.
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

  public ClusterConfig {
    members = List.copyOf(members);
  }

  /** The event bus port: next to Hazelcast's, so one pair of fixed ports per node. */
  public int eventBusPort() {
    return port + 1;
  }

  /** Reads a {@code cluster} section; every key optional. */
  public static ClusterConfig from(ConfigReader r) {
    ClusterConfig d = DEFAULTS;
    boolean enabled = r.bool("enabled", d.enabled);
    String host = r.string("host", d.host).strip();
    if (!HOST.matcher(host).matches()) {
      throw new ConfigException(r.key("host"), host, "must be a host name or an IPv4 address");
    }
    int port = r.integer("port", d.port, 1, 65534);
    List<String> members = r.strings("members", d.members);
    for (String member : members) {
      checkMember(r.key("members"), member);
    }
    String service = r.string("kubernetes_service", d.kubernetesService).strip();
    if (!service.isEmpty() && !HOST.matcher(service).matches()) {
      throw new ConfigException(
          r.key("kubernetes_service"), service, "must be a DNS name such as stopsign-hz.ns.svc");
    }
    if (!service.isEmpty() && !members.isEmpty()) {
      throw new ConfigException(
          r.key("kubernetes_service"), service, "set either cluster.members or this, not both");
    }
    r.done();
    return new ClusterConfig(enabled, host, port, members, service);
  }

  private static void checkMember(String key, String member) {
    int colon = member.lastIndexOf(':');
    String allowed = "each member must be host:port with a port from 1 to 65535";
    if (colon <= 0 || !HOST.matcher(member.substring(0, colon)).matches()) {
      throw new ConfigException(key, member, allowed);
    }
    try {
      int port = Integer.parseInt(member.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new ConfigException(key, member, allowed);
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(key, member, allowed);
    }
  }
}
