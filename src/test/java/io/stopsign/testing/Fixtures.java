package io.stopsign.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared fixtures folder (real models, images, footage). Set by the system property {@code
 * stopsign.fixtures} (Surefire points it at ../shared/fixtures) or {@code STOPSIGN_FIXTURES}. A
 * missing folder fails the test: fixtures are required, never skipped.
 */
public final class Fixtures {

  public static Path root() {
    String env = System.getenv("STOPSIGN_FIXTURES");
    String setting = env != null && !env.isBlank() ? env : System.getProperty("stopsign.fixtures");
    if (setting == null || setting.isBlank()) {
      throw new IllegalStateException(
          "fixtures folder not set: pass -Dstopsign.fixtures=DIR or STOPSIGN_FIXTURES=DIR");
    }
    Path root = Path.of(setting).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("fixtures folder missing: " + root);
    }
    return root;
  }

  public static Path path(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("fixture missing: " + p);
    }
    return p;
  }

  private Fixtures() {}
}
