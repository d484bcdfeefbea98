package io.stopsign;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Builds the configuration from its stores in a fixed order: the YAML file, then environment
 * variables {@code STOPSIGN_<KEY_PATH>}, then system properties {@code stopsign.<key.path>}. Only
 * keys documented in {@code conf/stopsign.yaml} are taken from the environment, never the whole of
 * it, and each such value keeps the type its documented default declares ({@link EnvValue}).
 */
public final class ConfigLoader {
  /** The documented defaults, bundled from {@code conf/stopsign.yaml}. */
  public static final String DEFAULTS_RESOURCE = "/conf/stopsign.yaml";

  public static StopSignConfig load(
      Path file, String source, Map<String, String> env, Properties system) {
    return StopSignConfig.from(ConfigReader.of("", tree(file, source, env, system)));
  }

  /** The merged tree before validation; also used to re-read the file at run time. */
  public static Map<String, Object> tree(
      Path file, String source, Map<String, String> env, Properties system) {
    Map<String, Object> tree = file == null ? new LinkedHashMap<>() : readFile(file);
    Map<String, Object> defaults = documentedDefaults();
    for (Map.Entry<String, Object> key : defaults.entrySet()) {
      String name = "STOPSIGN_" + key.getKey().toUpperCase(Locale.ROOT).replace('.', '_');
      String value = env.get(name);
      if (value != null) {
        put(tree, key.getKey(), EnvValue.parse(name, value, key.getValue()));
      }
    }
    for (Map.Entry<String, Object> key : defaults.entrySet()) {
      String name = "stopsign." + key.getKey();
      String value = system.getProperty(name);
      if (value != null) {
        put(tree, key.getKey(), EnvValue.parse(name, value, key.getValue()));
      }
    }
    if (source != null) {
      applySource(tree, source);
    }
    return tree;
  }

  /** Dotted paths of every leaf in the bundled defaults (lists count as leaves). */
  public static Set<String> documentedKeys() {
    return new TreeSet<>(documentedDefaults().keySet());
  }

  /** Every leaf of the bundled defaults with its default value, which declares the key's type. */
  static Map<String, Object> documentedDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      Object root = yaml().load(in);
      Map<String, Object> leaves = new TreeMap<>();
      collectLeaves("", root, leaves);
      return leaves;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void collectLeaves(String prefix, Object node, Map<String, Object> out) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
        collectLeaves(key, e.getValue(), out);
      }
    } else if (!prefix.isEmpty()) {
      out.put(prefix, node);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readFile(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object root = yaml().load(reader);
      if (root == null) {
        return new LinkedHashMap<>();
      }
      if (!(root instanceof Map)) {
        throw new ConfigException(file + ": the top level must be a mapping of keys");
      }
      return new LinkedHashMap<>((Map<String, Object>) root);
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config", file.toString(), "file not found");
    } catch (IOException e) {
      throw new ConfigException("--config", file.toString(), "cannot be read: " + e.getMessage());
    } catch (YAMLException e) {
      throw new ConfigException(file + " is not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, String dotted, Object value) {
    String[] parts = dotted.split("\\.");
    Map<String, Object> node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        node.put(parts[i], child);
      } else {
        child = new LinkedHashMap<>((Map<String, Object>) child);
        node.put(parts[i], child);
      }
      node = (Map<String, Object>) child;
    }
    node.put(parts[parts.length - 1], value);
  }

  @SuppressWarnings("unchecked")
  private static void applySource(Map<String, Object> tree, String source) {
    List<Object> cameras = new ArrayList<>();
    if (tree.get("cameras") instanceof List<?> existing) {
      cameras.addAll(existing);
    }
    Map<String, Object> first =
        !cameras.isEmpty() && cameras.get(0) instanceof Map
            ? new LinkedHashMap<>((Map<String, Object>) cameras.get(0))
            : new LinkedHashMap<>();
    first.put("id", first.getOrDefault("id", "cam1"));
    first.put("source", source);
    if (cameras.isEmpty()) {
      cameras.add(first);
    } else {
      cameras.set(0, first);
    }
    tree.put("cameras", cameras);
  }

  static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    return new Yaml(options);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    return message.strip().lines().findFirst().orElse("");
  }

  private ConfigLoader() {}
}
