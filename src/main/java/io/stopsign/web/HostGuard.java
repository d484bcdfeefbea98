package io.stopsign.web;

import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses requests addressed to a name this service does not answer to (421). A DNS-rebinding page
 * points its own name at this address, so the browser sends that name as Host: without this check
 * such a page reaches the API of a service with no token. Names allowed: the bind address,
 * localhost, 127.0.0.1 and {@code http.allowed_hosts} ({@code *} = any). An IP address as Host is
 * always allowed: rebinding needs a name, and kubelet probes and Prometheus address pods by IP.
 */
final class HostGuard {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(%[\\w.-]+)?");

  private final Set<String> names = new HashSet<>();
  private final boolean any;

  HostGuard(String bindHost, List<String> allowedHosts) {
    any = allowedHosts.contains("*");
    names.add(normalise(bindHost));
    names.add("localhost");
    names.add("127.0.0.1");
    allowedHosts.forEach(h -> names.add(normalise(h)));
  }

  void handle(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    // no Host at all is no browser (browsers always send one), so no rebinding either
    if (any || authority == null || allowed(authority.host())) {
      ctx.next();
      return;
    }
    String shown = authority.host().length() > 100 ? "(a long name)" : authority.host();
    ErrorResponses.send(
        ctx,
        421,
        "this service does not answer to the name '"
            + shown
            + "'; add it to http.allowed_hosts to serve it");
  }

  boolean allowed(String host) {
    String h = normalise(host);
    return names.contains(h) || IPV4.matcher(h).matches() || IPV6.matcher(h).matches();
  }

  private static String normalise(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
