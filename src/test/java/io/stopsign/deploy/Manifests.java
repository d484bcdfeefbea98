package io.stopsign.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/** The k8s/ manifests as the cluster would get them: overlays rendered by the real kustomize. */
final class Manifests {
  static final Path K8S = Path.of("k8s");
  private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

  /** {@code kubectl kustomize k8s/overlays/<overlay>}, parsed; fails with kustomize's message. */
  static List<Map<String, Object>> render(String overlay) {
    return RENDERED.computeIfAbsent(overlay, Manifests::kustomize);
  }

  private static List<Map<String, Object>> kustomize(String overlay) {
    try {
      Process p =
          new ProcessBuilder(
                  "kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + overlay + " failed:\n" + out);
      }
      return parse(new StringReader(out));
    } catch (IOException e) {
      throw new AssertionError("kubectl kustomize " + overlay + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parse(Reader reader) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(reader)) {
      if (doc != null) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  static List<Map<String, Object>> parse(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return parse(reader);
    }
  }

  static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
    return ofKind(docs, kind).stream()
        .filter(d -> name.equals(at(d, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  /** The Deployments running the StopSign image. */
  static List<Map<String, Object>> stopsignDeployments(List<Map<String, Object>> docs) {
    return ofKind(docs, "Deployment").stream()
        .filter(d -> "stopsign".equals(at(d, "metadata", "labels", "app.kubernetes.io/name")))
        .toList();
  }

  static String name(Map<String, Object> doc) {
    return at(doc, "metadata", "name");
  }

  static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return at(deployment, "spec", "template", "spec");
  }

  static Map<String, String> podLabels(Map<String, Object> deployment) {
    return at(deployment, "spec", "template", "metadata", "labels");
  }

  static List<Map<String, Object>> containers(Map<String, Object> deployment) {
    return at(podSpec(deployment), "containers");
  }

  static Map<String, Object> container(Map<String, Object> deployment) {
    return containers(deployment).get(0);
  }

  static List<Map<String, Object>> env(Map<String, Object> container) {
    List<Map<String, Object>> env = at(container, "env");
    return env == null ? List.of() : env;
  }

  /** The literal value of an env variable, or null if absent or taken from elsewhere. */
  static String envValue(Map<String, Object> container, String name) {
    return env(container).stream()
        .filter(e -> name.equals(e.get("name")))
        .map(e -> (String) e.get("value"))
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /** True when every pair of {@code selector} is among {@code labels}. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null
        && !selector.isEmpty()
        && labels != null
        && labels.entrySet().containsAll(selector.entrySet());
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      current = current instanceof Map<?, ?> m ? m.get(key) : null;
    }
    return (T) current;
  }

  private Manifests() {}
}
