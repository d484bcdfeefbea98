package io.stopsign.inference;

import java.nio.file.Path;

/** Where fetched models and extracted native libraries live: never in the repository. */
final class ModelCache {

  /** {@code ~/.cache/stopsign}. */
  static Path root() {
    return Path.of(System.getProperty("user.home"), ".cache", "stopsign");
  }

  /** {@code STOPSIGN_MODEL_CACHE}, else {@code ~/.cache/stopsign/models}. */
  static Path models() {
    String override = System.getenv("STOPSIGN_MODEL_CACHE");
    return override != null && !override.isBlank() ? Path.of(override) : root().resolve("models");
  }

  private ModelCache() {}
}
