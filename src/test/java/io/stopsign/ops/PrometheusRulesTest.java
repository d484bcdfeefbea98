package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules checked by the SRE's own tool: promtool (Debian package prometheus). */
class PrometheusRulesTest {
  @TempDir Path dir;

  private String promtool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    return output;
  }

  @Test
  @DisplayName("promtool check rules passes the PrometheusRule's groups, lint included")
  void checkRules() throws Exception {
    MonitoringFiles.writeRuleFile(dir);
    assertThat(promtool("check", "rules", "stopsign.rules.yaml")).contains("SUCCESS");
  }

  @Test
  @DisplayName("promtool test rules passes, with a unit test for every alert")
  void testRules() throws Exception {
    MonitoringFiles.writeRuleFile(dir);
    String tests = Files.readString(MonitoringFiles.RULE_TESTS);
    Files.writeString(dir.resolve("stopsign.rules.test.yaml"), tests);
    Set<String> tested = new TreeSet<>();
    Matcher m = Pattern.compile("alertname:\\s*(\\w+)").matcher(tests);
    while (m.find()) {
      tested.add(m.group(1));
    }
    assertThat(tested).as("alerts with a promtool test").containsAll(MonitoringFiles.alertNames());
    assertThat(promtool("test", "rules", "stopsign.rules.test.yaml")).contains("SUCCESS");
  }
}
