package io.stopsign.inference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts ONNX Runtime's native libraries from its jar once into the user cache and points {@code
 * onnxruntime.native.path} at them; otherwise every JVM leaves ~28 MB of copies in /tmp.
 */
final class OnnxNatives {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxNatives.class);
  static final String PROPERTY = "onnxruntime.native.path";
  static final String VERSION = "1.28.0";
  private static boolean done;

  /**
   * Sets the property (unless the user did) before the first OrtEnvironment; failures fall back to
   * ORT's own extraction.
   */
  static synchronized void install() {
    if (done) {
      return;
    }
    done = true;
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    String platform = platform();
    if (platform == null) {
      return;
    }
    Path dir = ModelCache.root().resolve("onnxruntime-" + VERSION).resolve(platform);
    try {
      Files.createDirectories(dir);
      String ext = platform.startsWith("osx") ? ".dylib" : ".so";
      for (String lib : List.of("libonnxruntime", "libonnxruntime4j_jni")) {
        extract("/ai/onnxruntime/native/" + platform + "/" + lib + ext, dir.resolve(lib + ext));
      }
      System.setProperty(PROPERTY, dir.toString());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot cache ONNX Runtime libraries in {} ({}); it will extract them to the temp dir",
          dir,
          e.toString());
    }
  }

  private static void extract(String resource, Path target) throws IOException {
    URL url = OnnxNatives.class.getResource(resource);
    if (url == null) {
      throw new IOException("resource " + resource + " missing from the onnxruntime jar");
    }
    URLConnection connection = url.openConnection();
    long size = connection.getContentLengthLong();
    if (Files.isRegularFile(target) && Files.size(target) == size) {
      return;
    }
    // a unique temp name and an atomic rename: JVMs extracting at once never see a partial file
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.info("ONNX Runtime library cached: {}", target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      return x64 ? "linux-x64" : arm ? "linux-aarch64" : null;
    }
    if (os.contains("mac")) {
      return arm ? "osx-aarch64" : null;
    }
    return null;
  }

  private OnnxNatives() {}
}
