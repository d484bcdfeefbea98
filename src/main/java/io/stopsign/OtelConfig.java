package io.stopsign;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code otel.*}: OpenTelemetry tracing, off unless {@code endpoint} names an OTLP/HTTP collector.
 *
 * @param endpoint OTLP/HTTP base URL such as {@code http://127.0.0.1:4318}; empty = tracing off
 * @param sampleRatio share of frames (and of requests without a sampled parent) that are traced
 */
public record OtelConfig(String endpoint, double sampleRatio) {

  public static final OtelConfig DEFAULTS = new OtelConfig("", 0.01);

  public boolean enabled() {
    return !endpoint.isEmpty();
  }

  /** The OTLP/HTTP traces URL under the base URL. */
  public String tracesUrl() {
    return endpoint.replaceAll("/+$", "") + "/v1/traces";
  }

  /** Reads an {@code otel} section; every key optional. */
  public static OtelConfig from(ConfigReader r) {
    String endpoint = r.string("endpoint", DEFAULTS.endpoint).trim();
    double ratio = r.number("sample_ratio", DEFAULTS.sampleRatio, 0, 1);
    r.done();
    if (!endpoint.isEmpty()) {
      try {
        URI uri = new URI(endpoint);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new URISyntaxException(endpoint, "not http(s) with a host");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException(
            r.key("endpoint"), endpoint, "must be an OTLP/HTTP base URL like http://host:4318");
      }
    }
    return new OtelConfig(endpoint, ratio);
  }
}
