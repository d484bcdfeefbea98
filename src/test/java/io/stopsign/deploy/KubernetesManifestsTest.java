package io.stopsign.deploy;

import static io.stopsign.deploy.Manifests.at;
import static io.stopsign.deploy.Manifests.container;
import static io.stopsign.deploy.Manifests.name;
import static io.stopsign.deploy.Manifests.ofKind;
import static io.stopsign.deploy.Manifests.podLabels;
import static io.stopsign.deploy.Manifests.podSpec;
import static io.stopsign.deploy.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rendered overlays hang together: what points at what exists, pods are locked down. */
class KubernetesManifestsTest {
  private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  @Test
  @DisplayName("every YAML file under k8s/ parses, and every manifest in it has a kind")
  void everyFileParses() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Manifests.K8S)) {
      files = walk.filter(p -> p.toString().matches(".*\\.ya?ml")).toList();
    }
    assertThat(files).hasSizeGreaterThan(10);
    for (Path file : files) {
      List<Map<String, Object>> docs = Manifests.parse(file);
      assertThat(docs).as(file.toString()).isNotEmpty();
      if (!file.startsWith(Manifests.K8S.resolve("base/config"))) {
        docs.forEach(d -> assertThat(d).as(file.toString()).containsKey("kind"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName(
      "the overlay resolves with kubectl kustomize into the service, MediaMTX and a Service")
  void overlayResolves(String overlay) {
    List<Map<String, Object>> docs = Manifests.render(overlay);
    assertThat(Manifests.stopsignDeployments(docs)).isNotEmpty();
    assertThat(ofKind(docs, "Deployment")).extracting(Manifests::name).contains("mediamtx");
    assertThat(ofKind(docs, "Service")).extracting(Manifests::name).contains("stopsign");
    docs.forEach(d -> assertThat((String) at(d, "metadata", "namespace")).isEqualTo("stopsign"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName("each Deployment's selector matches its pod labels and no other Deployment's pods")
  void selectorsMatchLabels(String overlay) {
    List<Map<String, Object>> deployments = ofKind(Manifests.render(overlay), "Deployment");
    for (Map<String, Object> d : deployments) {
      Map<String, String> selector = at(d, "spec", "selector", "matchLabels");
      assertThat(selects(selector, podLabels(d))).as(name(d)).isTrue();
      for (Map<String, Object> other : deployments) {
        if (other != d) {
          assertThat(selects(selector, podLabels(other)))
              .as("%s selects the pods of %s", name(d), name(other))
              .isFalse();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName("Services select existing pods on ports those pods declare")
  void servicesPointAtPods(String overlay) {
    List<Map<String, Object>> docs = Manifests.render(overlay);
    for (Map<String, Object> service : ofKind(docs, "Service")) {
      Map<String, String> selector = at(service, "spec", "selector");
      List<Map<String, Object>> pods =
          ofKind(docs, "Deployment").stream().filter(d -> selects(selector, podLabels(d))).toList();
      assertThat(pods).as("pods of Service %s", name(service)).isNotEmpty();
      List<Map<String, Object>> ports = at(service, "spec", "ports");
      for (Map<String, Object> port : ports) {
        for (Map<String, Object> pod : pods) {
          assertThat(portNames(pod))
              .as("Service %s port %s on %s", name(service), port.get("name"), name(pod))
              .contains(String.valueOf(port.get("targetPort")));
        }
      }
    }
    Map<String, Object> web = Manifests.named(docs, "Service", "stopsign");
    assertThat(ofKind(docs, "Deployment"))
        .filteredOn(d -> selects(at(web, "spec", "selector"), podLabels(d)))
        .allSatisfy(d -> assertThat(rolesOf(d)).containsAnyOf("all", "web"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName("PDBs and ScaledObjects point at existing Deployments; minAvailable < replicas")
  void budgetsAndScalersFit(String overlay) {
    List<Map<String, Object>> docs = Manifests.render(overlay);
    List<Map<String, Object>> deployments = ofKind(docs, "Deployment");
    Set<String> budgeted = new HashSet<>();
    for (Map<String, Object> pdb : ofKind(docs, "PodDisruptionBudget")) {
      Map<String, String> selector = at(pdb, "spec", "selector", "matchLabels");
      List<Map<String, Object>> targets =
          deployments.stream().filter(d -> selects(selector, podLabels(d))).toList();
      assertThat(targets).as("pods of PDB %s", name(pdb)).hasSize(1);
      int replicas = at(targets.get(0), "spec", "replicas");
      int minAvailable = at(pdb, "spec", "minAvailable");
      assertThat(minAvailable).as("PDB %s", name(pdb)).isLessThan(replicas).isPositive();
      budgeted.add(name(targets.get(0)));
    }
    for (Map<String, Object> scaler : ofKind(docs, "ScaledObject")) {
      Map<String, Object> target =
          Manifests.named(docs, "Deployment", at(scaler, "spec", "scaleTargetRef", "name"));
      assertThat((Integer) at(scaler, "spec", "minReplicaCount"))
          .as("ScaledObject %s never scales below the replicas its PDB assumes", name(scaler))
          .isEqualTo((Integer) at(target, "spec", "replicas"));
      assertThat(budgeted).contains(name(target));
    }
    if (overlay.equals("production")) {
      assertThat(budgeted)
          .containsExactlyInAnyOrder("stopsign-analyzer", "stopsign-web", "stopsign-persist");
      assertThat(ofKind(docs, "ScaledObject"))
          .extracting(s -> (String) at(s, "spec", "scaleTargetRef", "name"))
          .containsExactlyInAnyOrder("stopsign-analyzer", "stopsign-web");
    } else {
      assertThat(budgeted).as("a single pod gets no PDB: it would only block drains").isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName(
      "pods run non-root on a read-only root filesystem, with resources and writable volumes")
  void podsAreLockedDown(String overlay) {
    for (Map<String, Object> d : ofKind(Manifests.render(overlay), "Deployment")) {
      Map<String, Object> pod = podSpec(d);
      assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).as(name(d)).isTrue();
      assertThat((Integer) at(pod, "securityContext", "runAsUser")).as(name(d)).isPositive();
      assertThat((Boolean) pod.get("enableServiceLinks"))
          .as("%s: Service variables like STOPSIGN_PORT must not reach the config", name(d))
          .isFalse();
      for (Map<String, Object> c : Manifests.containers(d)) {
        assertThat((Boolean) at(c, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(c, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat((List<String>) at(c, "securityContext", "capabilities", "drop")).contains("ALL");
        assertThat((Object) at(c, "resources", "requests", "cpu")).as(name(d)).isNotNull();
        assertThat((Object) at(c, "resources", "requests", "memory")).as(name(d)).isNotNull();
        assertThat((Object) at(c, "resources", "limits", "memory")).as(name(d)).isNotNull();
      }
    }
    for (Map<String, Object> d : Manifests.stopsignDeployments(Manifests.render(overlay))) {
      Map<String, Object> c = container(d);
      assertThat(writableMounts(d, c)).as(name(d)).contains("/data", "/tmp");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName("probes on every role's pod: /healthz and /ready on the port named by http.port")
  void probes(String overlay) {
    List<Map<String, Object>> pods = Manifests.stopsignDeployments(Manifests.render(overlay));
    assertThat(pods)
        .extracting(Manifests::name)
        .containsExactlyInAnyOrderElementsOf(
            overlay.equals("single")
                ? List.of("stopsign")
                : List.of("stopsign-analyzer", "stopsign-web", "stopsign-persist"));
    for (Map<String, Object> d : pods) {
      Map<String, Object> c = container(d);
      assertThat((String) at(c, "startupProbe", "httpGet", "path")).isEqualTo("/healthz");
      assertThat((String) at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
      assertThat((String) at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/ready");
      int httpPort = KubernetesConfigTest.load(d).http().port();
      List<Map<String, Object>> ports = at(c, "ports");
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        String named = String.valueOf((Object) at(c, probe, "httpGet", "port"));
        assertThat(ports)
            .as("%s %s: port %s is http.port %d", name(d), probe, named, httpPort)
            .anySatisfy(
                p -> {
                  assertThat(p.get("name")).isEqualTo(named);
                  assertThat(p.get("containerPort")).isEqualTo(httpPort);
                });
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName(
      "every $(VAR) in an env value names a variable defined before it (else it stays literal)")
  void envReferencesResolve(String overlay) {
    for (Map<String, Object> d : ofKind(Manifests.render(overlay), "Deployment")) {
      for (Map<String, Object> c : Manifests.containers(d)) {
        List<String> defined = new ArrayList<>();
        for (Map<String, Object> e : Manifests.env(c)) {
          if (e.get("value") instanceof String value) {
            Matcher m = VAR_REF.matcher(value);
            while (m.find()) {
              assertThat(defined).as("%s: %s", name(d), e.get("name")).contains(m.group(1));
            }
          }
          defined.add((String) e.get("name"));
        }
      }
    }
  }

  static List<String> rolesOf(Map<String, Object> deployment) {
    String roles = Manifests.envValue(container(deployment), "STOPSIGN_ROLES");
    return roles == null ? List.of() : new org.yaml.snakeyaml.Yaml().load(roles);
  }

  private static Set<String> portNames(Map<String, Object> deployment) {
    Set<String> names = new HashSet<>();
    for (Map<String, Object> c : Manifests.containers(deployment)) {
      List<Map<String, Object>> ports = at(c, "ports");
      ports.forEach(p -> names.add(String.valueOf(p.get("name"))));
    }
    return names;
  }

  private static Set<String> writableMounts(Map<String, Object> d, Map<String, Object> c) {
    List<Map<String, Object>> volumes = at(podSpec(d), "volumes");
    Set<String> writable = new HashSet<>();
    List<Map<String, Object>> mounts = at(c, "volumeMounts");
    for (Map<String, Object> mount : mounts) {
      Map<String, Object> volume =
          volumes.stream().filter(v -> v.get("name").equals(mount.get("name"))).findFirst().get();
      boolean disk = volume.get("emptyDir") != null || volume.get("persistentVolumeClaim") != null;
      if (disk && !Boolean.TRUE.equals(mount.get("readOnly"))) {
        writable.add((String) mount.get("mountPath"));
      }
    }
    return writable;
  }
}
