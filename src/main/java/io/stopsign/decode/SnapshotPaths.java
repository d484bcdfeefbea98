package io.stopsign.decode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/** Checks snapshot paths from requests: relative, a .jpg, and inside the data directory. */
public final class SnapshotPaths {

  /**
   * The absolute file for {@code relative} under {@code dataDir}; IllegalArgumentException if
   * unsafe.
   */
  public static Path resolve(Path dataDir, String relative) {
    if (relative == null || relative.isBlank()) {
      throw new IllegalArgumentException("path is required");
    }
    String lower = relative.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".jpg") && !lower.endsWith(".jpeg")) {
      throw new IllegalArgumentException("path must end in .jpg: " + relative);
    }
    Path rel;
    try {
      rel = Path.of(relative);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a path: " + relative);
    }
    if (rel.isAbsolute() || relative.startsWith("/") || relative.startsWith("\\")) {
      throw new IllegalArgumentException(
          "path must be relative to the data directory: " + relative);
    }
    Path base = dataDir.toAbsolutePath().normalize();
    Path target = base.resolve(rel).normalize();
    if (!target.startsWith(base) || target.equals(base)) {
      throw new IllegalArgumentException("path escapes the data directory: " + relative);
    }
    return target;
  }

  private SnapshotPaths() {}
}
