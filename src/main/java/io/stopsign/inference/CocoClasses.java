package io.stopsign.inference;

import io.stopsign.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 80 COCO class names (bundled resource) and the class filter built from {@code model.classes}.
 */
public final class CocoClasses {
  private static final List<String> NAMES = load();
  // Darknet spellings some model zoos use.
  private static final Map<String, String> ALIASES =
      Map.of(
          "motorbike", "motorcycle",
          "aeroplane", "airplane",
          "sofa", "couch",
          "pottedplant", "potted plant",
          "diningtable", "dining table",
          "tvmonitor", "tv");

  public static List<String> names() {
    return NAMES;
  }

  /** The name of a class id, or "class N" for ids beyond COCO's 80. */
  public static String label(int classId) {
    return classId >= 0 && classId < NAMES.size() ? NAMES.get(classId) : "class " + classId;
  }

  /** The class id of a name (aliases accepted), or -1. */
  public static int id(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return NAMES.indexOf(ALIASES.getOrDefault(n, n));
  }

  /**
   * Which class ids to keep, indexed by id, sized {@code classCount}; an empty list keeps every
   * class.
   *
   * @throws ConfigException naming the first unknown class
   */
  public static boolean[] filter(List<String> classes, int classCount) {
    boolean[] keep = new boolean[Math.max(classCount, NAMES.size())];
    if (classes.isEmpty()) {
      java.util.Arrays.fill(keep, true);
      return keep;
    }
    for (String name : classes) {
      int id = id(name);
      if (id < 0) {
        throw new ConfigException(
            "model.classes", name, "not a COCO class name (e.g. car, truck, bus)");
      }
      keep[id] = true;
    }
    return keep;
  }

  private static List<String> load() {
    try (InputStream in = CocoClasses.class.getResourceAsStream("coco.names")) {
      if (in == null) {
        throw new IllegalStateException("resource io/stopsign/inference/coco.names is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CocoClasses() {}
}
