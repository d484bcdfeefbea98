package io.stopsign;

import io.stopsign.config.ConfigException;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * One override from the environment or a {@code -D} property, typed by the key's documented default
 * instead of parsed as YAML: a string key takes the exact text ({@code #x} stays {@code #x}, {@code
 * 0x1F} and {@code yes} stay as written), a number key only a plain decimal, a boolean key only
 * {@code true} or {@code false}, a list key a JSON-style list ({@code ["car","bus"]} or {@code
 * [car, bus]}) or comma-separated words.
 */
final class EnvValue {
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");
  private static final Pattern DECIMAL =
      Pattern.compile("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?");

  static Object parse(String name, String value, Object declared) {
    if (declared instanceof Boolean) {
      if (value.equals("true") || value.equals("false")) {
        return Boolean.valueOf(value);
      }
      throw new ConfigException(name, value, "allowed: true, false");
    }
    if (declared instanceof Number) {
      // Anything else stays text, and the key's reader refuses it with its range.
      if (INTEGER.matcher(value).matches()) {
        return Long.valueOf(value);
      }
      return DECIMAL.matcher(value).matches() ? Double.valueOf(value) : value;
    }
    if (declared instanceof List && value.strip().startsWith("[")) {
      return list(name, value);
    }
    return value;
  }

  private static Object list(String name, String value) {
    Object parsed;
    try {
      parsed = jsonScalars().load(value);
    } catch (YAMLException e) {
      throw new ConfigException(
          name,
          value,
          "must be a list such as [\"a\", \"b\"]: " + ConfigLoader.firstLine(e.getMessage()));
    }
    if (!(parsed instanceof List<?>)) {
      throw new ConfigException(name, value, "must be a list such as [\"a\", \"b\"]");
    }
    return parsed;
  }

  /** YAML that only types JSON literals; every other plain scalar stays a string. */
  private static Yaml jsonScalars() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    Resolver resolver =
        new Resolver() {
          @Override
          protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|false)$"), "tf", 10);
            addImplicitResolver(
                Tag.INT, Pattern.compile("^-?(?:0|[1-9][0-9]{0,17})$"), "-0123456789", 20);
            addImplicitResolver(
                Tag.FLOAT,
                Pattern.compile("^-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]{1,3})?$"),
                "-0123456789",
                40);
            addImplicitResolver(Tag.NULL, Pattern.compile("^(?:null)$"), "n", 10);
          }
        };
    DumperOptions dumper = new DumperOptions();
    return new Yaml(
        new SafeConstructor(options), new Representer(dumper), dumper, options, resolver);
  }

  private EnvValue() {}
}
