package io.stopsign.testing;

import io.stopsign.Main;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A stand-in for target/stopsign.jar while the tests run (they run before {@code package}): the
 * same Main-Class, its Class-Path the compiled classes and runtime jars of this build instead of
 * lib/, so {@code java -jar stopsign.jar} starts exactly the code under test.
 */
public final class LauncherJar {

  public static void write(Path jar) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (!entry.isBlank() && !path.endsWith("test-classes") && Files.exists(path)) {
        entries.add(path.toUri().toString()); // directories end with '/', as Class-Path wants
      }
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    main.put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream unused = new JarOutputStream(out, manifest)) {
      // the manifest is the whole jar
    }
  }

  private LauncherJar() {}
}
