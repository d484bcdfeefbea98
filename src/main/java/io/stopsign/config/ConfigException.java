package io.stopsign.config;

/** A bad configuration: the message is one line naming the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, Object value, String allowed) {
    super("config: " + key + " = " + describe(value) + ": " + allowed);
  }

  public ConfigException(String message) {
    super("config: " + message);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "(missing)";
    }
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
