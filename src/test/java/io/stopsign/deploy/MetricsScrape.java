package io.stopsign.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text scrape, and whether a PromQL query's selectors find series in it. */
final class MetricsScrape {
  private static final Pattern SERIES =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern SELECTOR = Pattern.compile("(stopsign_\\w+)(\\{([^}]*)\\})?");
  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

  record Series(String name, Map<String, String> labels, double value) {}

  private final List<Series> series;

  private MetricsScrape(List<Series> series) {
    this.series = series;
  }

  static MetricsScrape parse(String text) {
    List<Series> all = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = SERIES.matcher(line.strip());
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      all.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new MetricsScrape(all);
  }

  java.util.Set<String> names() {
    return series.stream().map(Series::name).collect(java.util.stream.Collectors.toSet());
  }

  double sum(String name) {
    return series.stream().filter(s -> s.name().equals(name)).mapToDouble(Series::value).sum();
  }

  /** Every selector of the query finds a series, and every grouping label is on one of them. */
  void assertServes(String query) {
    List<Series> found = new ArrayList<>();
    Matcher selector = SELECTOR.matcher(query);
    while (selector.find()) {
      String name = selector.group(1);
      List<Series> named = series.stream().filter(s -> s.name().equals(name)).toList();
      assertThat(named).as("%s (in %s) is in the scrape", name, query).isNotEmpty();
      List<Series> matching = named.stream().filter(s -> matches(s, selector.group(3))).toList();
      assertThat(matching)
          .as(
              "a series of %s matches {%s} (in %s); seen: %s",
              name, selector.group(3), query, named.stream().map(Series::labels).toList())
          .isNotEmpty();
      found.addAll(matching);
    }
    assertThat(found).as("query %s names a stopsign_ metric", query).isNotEmpty();
    Matcher grouping = GROUPING.matcher(query);
    while (grouping.find()) {
      for (String label : grouping.group(1).split(",")) {
        assertThat(found)
            .as("label %s (in %s)", label.strip(), query)
            .anySatisfy(s -> assertThat(s.labels()).containsKey(label.strip()));
      }
    }
  }

  private static boolean matches(Series s, String matchers) {
    if (matchers == null) {
      return true;
    }
    Matcher m = MATCHER.matcher(matchers);
    while (m.find()) {
      String value = s.labels().getOrDefault(m.group(1), "");
      boolean ok =
          switch (m.group(2)) {
            case "=" -> value.equals(m.group(3));
            case "!=" -> !value.equals(m.group(3));
            case "=~" -> value.matches(m.group(3)); // PromQL regexes are anchored, like matches()
            default -> !value.matches(m.group(3));
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
