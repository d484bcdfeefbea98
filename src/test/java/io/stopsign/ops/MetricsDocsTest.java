package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's metric table against a real scrape of the running service, so neither can drift. */
class MetricsDocsTest {
  @TempDir Path dir;

  /** One row of README's table: name (or family pattern ending in *), type, labels, conditional. */
  record Documented(String name, String type, Set<String> labels, boolean conditional) {
    boolean pattern() {
      return name.endsWith("*");
    }

    boolean covers(String family) {
      return pattern() ? family.startsWith(name.substring(0, name.length() - 1)) : false;
    }
  }

  /** A scraped family: its type and the label names its samples carry (le, quantile aside). */
  record Scraped(String type, Set<String> labels) {}

  @Test
  @DisplayName(
      "every scraped metric is in README's table with its type and labels, and every unconditional row is scraped")
  void readmeMatchesScrape() throws Exception {
    Map<String, Documented> documented = readme();
    Map<String, Scraped> scraped;
    try (RunningService service = RunningService.start(dir)) {
      scraped =
          families(
              service.scrapeUntil(
                  s ->
                      s.contains("stage=\"db_write\"")
                          && s.contains("stage=\"track\"")
                          && s.contains("stopsign_frames_inferred_total{camera=\"cam1\"}"),
                  "the pipeline's staleness chain"));
    }
    List<String> problems = new ArrayList<>();
    for (var e : scraped.entrySet()) {
      String family = e.getKey();
      if (family.endsWith("_max") && isTimed(scraped.get(family.replaceAll("_max$", "")))) {
        continue; // the _max gauge every histogram and summary carries
      }
      Documented row = documented.get(family);
      if (row == null) {
        if (documented.values().stream().noneMatch(d -> d.covers(family))) {
          problems.add("scraped but not in README: " + family + " " + e.getValue());
        }
        continue;
      }
      if (!row.type().equals(e.getValue().type())) {
        problems.add(family + ": README says " + row.type() + ", scrape " + e.getValue().type());
      }
      if (!row.labels().equals(e.getValue().labels())) {
        problems.add(
            family + ": README labels " + row.labels() + ", scrape " + e.getValue().labels());
      }
    }
    for (Documented row : documented.values()) {
      boolean present =
          row.pattern()
              ? scraped.keySet().stream().anyMatch(row::covers)
              : scraped.containsKey(row.name());
      if (!present && !row.conditional()) {
        problems.add("in README but not scraped (mark it † if it is conditional): " + row.name());
      }
    }
    assertThat(problems).as("README's Metrics table vs /metrics").isEmpty();
  }

  private static boolean isTimed(Scraped s) {
    return s != null && (s.type().equals("histogram") || s.type().equals("summary"));
  }

  static Map<String, Documented> readme() throws Exception {
    String text = Files.readString(Path.of("README.md"));
    int start = text.indexOf("\n### Metrics\n");
    assertThat(start).as("README has a ### Metrics section").isPositive();
    int end = text.indexOf("\n#", start + 5);
    Map<String, Documented> rows = new LinkedHashMap<>();
    for (String line : text.substring(start, end < 0 ? text.length() : end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String first = cells[1].strip();
      String name = first.substring(1, first.indexOf('`', 1));
      Set<String> labels = new TreeSet<>();
      for (String label : cells[3].split(",")) {
        String l = label.strip();
        if (!l.isEmpty() && !l.equals("—")) {
          labels.add(l);
        }
      }
      rows.put(name, new Documented(name, cells[2].strip(), labels, first.contains("†")));
    }
    assertThat(rows).as("rows of README's metric table").isNotEmpty();
    return rows;
  }

  /** Families of a Prometheus text scrape: # TYPE lines, and the labels of their samples. */
  static Map<String, Scraped> families(String scrape) {
    Map<String, Scraped> families = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        families.put(parts[2], new Scraped(parts[3], new TreeSet<>()));
      }
    }
    for (String line : scrape.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String sample = line.substring(0, brace >= 0 && brace < space ? brace : space);
      Scraped family = families.get(sample);
      for (String suffix : List.of("_bucket", "_count", "_sum", "_created")) {
        if (family == null && sample.endsWith(suffix)) {
          family = families.get(sample.substring(0, sample.length() - suffix.length()));
        }
      }
      if (family != null && brace >= 0 && brace < space) {
        for (String pair : line.substring(brace + 1, line.indexOf('}')).split("\",")) {
          String label = pair.substring(0, pair.indexOf('=')).strip();
          if (!label.equals("le") && !label.equals("quantile") && !label.isEmpty()) {
            family.labels().add(label);
          }
        }
      }
    }
    return families;
  }
}
