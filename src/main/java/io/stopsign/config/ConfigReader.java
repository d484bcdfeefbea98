package io.stopsign.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one section of the merged configuration tree with defaults and range checks, remembering
 * which keys were read so that {@link #done()} can reject unknown ones. Every stage's config record
 * parses itself through one of these.
 */
public final class ConfigReader {
  private static final Pattern DECIMAL =
      Pattern.compile("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private final String path;
  private final Map<String, Object> values;
  private final Set<String> read = new LinkedHashSet<>();

  @SuppressWarnings("unchecked")
  public static ConfigReader of(String path, Object node) {
    if (node == null) {
      return new ConfigReader(path, Map.of());
    }
    if (!(node instanceof Map)) {
      throw new ConfigException(
          path.isEmpty() ? "(root)" : path, node, "must be a mapping of keys");
    }
    return new ConfigReader(path, (Map<String, Object>) node);
  }

  private ConfigReader(String path, Map<String, Object> values) {
    this.path = path;
    this.values = new LinkedHashMap<>(values);
  }

  /** The dotted key of a child, for messages. */
  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    return values.get(name) != null;
  }

  public Object raw(String name) {
    read.add(name);
    return values.get(name);
  }

  public String string(String name, String fallback) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof Collection) {
      throw new ConfigException(key(name), v, "must be a string");
    }
    return String.valueOf(v);
  }

  public String oneOf(String name, String fallback, Collection<String> allowed) {
    String v = string(name, fallback);
    if (!allowed.contains(v)) {
      throw new ConfigException(key(name), v, "allowed: " + String.join(", ", allowed));
    }
    return v;
  }

  public int integer(String name, int fallback, int min, int max) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    long n;
    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
      n = num.longValue();
    } else {
      try {
        n = Long.parseLong(decimal(v));
      } catch (NumberFormatException e) {
        throw new ConfigException(key(name), v, "must be an integer from " + min + " to " + max);
      }
    }
    if (n < min || n > max) {
      throw new ConfigException(key(name), v, "must be an integer from " + min + " to " + max);
    }
    return (int) n;
  }

  public double number(String name, double fallback, double min, double max) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    double n;
    if (v instanceof Number num) {
      n = num.doubleValue();
    } else {
      try {
        n = Double.parseDouble(decimal(v));
      } catch (NumberFormatException e) {
        throw new ConfigException(key(name), v, "must be a number from " + min + " to " + max);
      }
    }
    if (!(n >= min && n <= max)) {
      throw new ConfigException(key(name), v, "must be a number from " + min + " to " + max);
    }
    return n;
  }

  /** A plain decimal ({@code 12}, {@code -0.5}, {@code 1e3}); hex, NaN, "1d" throw. */
  public static double parseDecimal(Object v) {
    return Double.parseDouble(decimal(v));
  }

  private static String decimal(Object v) {
    String s = String.valueOf(v).trim();
    if (!DECIMAL.matcher(s).matches()) {
      throw new NumberFormatException(s);
    }
    return s;
  }

  public boolean bool(String name, boolean fallback) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key(name), v, "allowed: true, false");
  }

  public List<String> strings(String name, List<String> fallback) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof String s) {
      return List.of(s.split("\\s*,\\s*"));
    }
    if (!(v instanceof List<?> list)) {
      throw new ConfigException(key(name), v, "must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object item : list) {
      if (item == null || item instanceof Map || item instanceof Collection) {
        throw new ConfigException(key(name), v, "must be a list of strings");
      }
      out.add(String.valueOf(item));
    }
    return List.copyOf(out);
  }

  /** A list of [x, y] points in pixels; empty when absent. */
  public List<double[]> points(String name, int minPoints) {
    Object v = raw(name);
    if (v == null) {
      return List.of();
    }
    String allowed = "must be a list of at least " + minPoints + " [x, y] points";
    if (!(v instanceof List<?> list) || list.size() < minPoints) {
      throw new ConfigException(key(name), v, allowed);
    }
    List<double[]> out = new ArrayList<>();
    for (Object p : list) {
      if (!(p instanceof List<?> xy) || xy.size() != 2) {
        throw new ConfigException(key(name), v, allowed);
      }
      double[] point = new double[2];
      for (int i = 0; i < 2; i++) {
        if (!(xy.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
          throw new ConfigException(key(name), v, allowed);
        }
        point[i] = n.doubleValue();
      }
      out.add(point);
    }
    return List.copyOf(out);
  }

  public ConfigReader section(String name) {
    return ConfigReader.of(key(name), raw(name));
  }

  public List<ConfigReader> sections(String name) {
    Object v = raw(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new ConfigException(key(name), v, "must be a list of mappings");
    }
    List<ConfigReader> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(ConfigReader.of(key(name) + "[" + i + "]", list.get(i)));
    }
    return out;
  }

  /** Rejects keys that no parser read. Call after reading every known key. */
  public void done() {
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        throw new ConfigException(key(name), values.get(name), "unknown key");
      }
    }
  }
}
