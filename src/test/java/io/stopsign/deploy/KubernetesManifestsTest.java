package io.stopsign.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.ConfigLoader;
import io.stopsign.StopSignConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** No cluster here: the manifests are parsed and checked for what the service relies on. */
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("k8s");

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object doc : new Yaml().loadAll(reader)) {
        if (doc != null) {
          docs.add((Map<String, Object>) doc);
        }
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      current = current instanceof Map<?, ?> m ? m.get(key) : null;
    }
    return (T) current;
  }

  @Test
  @DisplayName("every kustomization names files that exist, and every manifest parses")
  void kustomizationsResolve() throws IOException {
    List<Path> kustomizations;
    try (Stream<Path> files = Files.walk(K8S)) {
      kustomizations =
          files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList();
    }
    assertThat(kustomizations).hasSizeGreaterThanOrEqualTo(3);
    for (Path k : kustomizations) {
      Map<String, Object> doc = documents(k).get(0);
      assertThat(doc.get("kind")).isEqualTo("Kustomization");
      List<String> resources = at(doc, "resources") == null ? List.of() : at(doc, "resources");
      List<String> refs = new ArrayList<>(resources);
      List<Map<String, Object>> patches = at(doc, "patches");
      if (patches != null) {
        patches.forEach(p -> refs.add((String) p.get("path")));
      }
      List<Map<String, Object>> generators = at(doc, "configMapGenerator");
      if (generators != null) {
        generators.forEach(
            g ->
                ((List<String>) g.get("files"))
                    .forEach(f -> refs.add(f.substring(f.indexOf('=') + 1))));
      }
      for (String ref : refs) {
        Path target = k.getParent().resolve(ref).normalize();
        assertThat(target).as("%s names %s", k, ref).exists();
        if (resources.contains(ref) && Files.isRegularFile(target)) {
          for (Map<String, Object> manifest : documents(target)) {
            assertThat(manifest).containsKey("kind");
          }
        }
      }
    }
  }

  @Test
  @DisplayName("the service's probes use /healthz for liveness and /ready for readiness")
  void probes() throws IOException {
    Map<String, Object> deployment =
        documents(K8S.resolve("base/stopsign.yaml")).stream()
            .filter(d -> "Deployment".equals(d.get("kind")))
            .findFirst()
            .orElseThrow();
    List<Map<String, Object>> containers = at(deployment, "spec", "template", "spec", "containers");
    Map<String, Object> container = containers.get(0);
    assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
    assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/ready");
  }

  @Test
  @DisplayName("the configuration shipped in the ConfigMap is valid for the service")
  void configMapIsValid() {
    StopSignConfig config =
        ConfigLoader.load(
            K8S.resolve("base/config/stopsign.yaml"),
            null,
            Map.of("STOPSIGN_DB_URL", "postgresql://u:p@postgres:5432/stopsign"),
            new Properties());
    assertThat(config.db().embedded()).isFalse();
    assertThat(config.cameras()).isNotEmpty();
    assertThat(config.mediamtxBaseUrl()).startsWith("http://");
  }
}
