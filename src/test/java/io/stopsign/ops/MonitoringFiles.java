package io.stopsign.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** k8s/monitoring as the tests read it: the rule groups, the alerts, the dashboard's queries. */
final class MonitoringFiles {
  static final Path DIR = Path.of("k8s/monitoring");
  static final Path RULE_TESTS = Path.of("src/test/resources/monitoring/stopsign.rules.test.yaml");
  private static final Pattern METRIC =
      Pattern.compile("\\b(?:stopsign[_:][a-zA-Z0-9_:]*|jvm_\\w+|process_\\w+|system_\\w+|up)\\b");
  private static final Pattern EXPR = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private MonitoringFiles() {}

  /** The PrometheusRule's spec: a Prometheus rule file (groups) as promtool reads it. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> ruleGroups() throws IOException {
    try (Reader reader = Files.newBufferedReader(DIR.resolve("prometheusrule.yaml"))) {
      Map<String, Object> rule = new Yaml().load(reader);
      return (Map<String, Object>) rule.get("spec");
    }
  }

  /** Writes the rule groups as {@code stopsign.rules.yaml} in {@code dir}; returns its path. */
  static Path writeRuleFile(Path dir) throws IOException {
    Path file = dir.resolve("stopsign.rules.yaml");
    Files.writeString(file, new Yaml().dump(ruleGroups()));
    return file;
  }

  /** Every rule (recording and alerting) as its map. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() throws IOException {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : (List<Object>) ruleGroups().get("groups")) {
      rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
    }
    return rules;
  }

  static Set<String> alertNames() throws IOException {
    Set<String> names = new TreeSet<>();
    rules().stream()
        .filter(r -> r.containsKey("alert"))
        .forEach(r -> names.add((String) r.get("alert")));
    return names;
  }

  /** Every PromQL expression of the rules and of the dashboard's panels. */
  static List<String> expressions() throws IOException {
    List<String> exprs = new ArrayList<>();
    rules().forEach(r -> exprs.add(String.valueOf(r.get("expr"))));
    Matcher m = EXPR.matcher(Files.readString(DIR.resolve("dashboards/stopsign.json")));
    while (m.find()) {
      exprs.add(m.group(1).replace("\\\"", "\""));
    }
    return exprs;
  }

  /** Metric names an expression reads (quoted label values and $variables aside). */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
