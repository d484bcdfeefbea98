package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("stopsign.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static StopSignConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(file, null, env, new Properties());
  }

  @Test
  @DisplayName("conf/stopsign.yaml documents exactly the defaults the code applies")
  void documentedDefaultsAreTheDefaults() {
    StopSignConfig documented = load(Path.of("conf/stopsign.yaml"), Map.of());
    StopSignConfig builtIn = load(null, Map.of());
    assertThat(documented).usingRecursiveComparison().isEqualTo(builtIn);
    assertThat(builtIn.http().port()).isEqualTo(8080);
    assertThat(builtIn.http().host()).isEqualTo("127.0.0.1");
    assertThat(builtIn.cameras()).isEmpty();
    assertThat(builtIn.hasRole("analyzer")).isTrue();
  }

  @Test
  @DisplayName("the environment overrides the file, and system properties override both")
  void storesApplyInOrder() throws IOException {
    Path file = write("http:\n  port: 9000\ndata_dir: /tmp/x\n");
    assertThat(load(file, Map.of()).http().port()).isEqualTo(9000);
    StopSignConfig fromEnv =
        load(file, Map.of("STOPSIGN_HTTP_PORT", "9100", "STOPSIGN_DATA_DIR", "/tmp/y"));
    assertThat(fromEnv.http().port()).isEqualTo(9100);
    assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/tmp/y"));
    Properties system = new Properties();
    system.setProperty("stopsign.http.port", "9200");
    assertThat(
            ConfigLoader.load(file, null, Map.of("STOPSIGN_HTTP_PORT", "9100"), system)
                .http()
                .port())
        .isEqualTo(9200);
  }

  @Test
  @DisplayName(
      "only documented STOPSIGN_ variables are read; the rest of the environment is ignored")
  void unrelatedEnvironmentIgnored() {
    StopSignConfig config =
        load(
            null,
            Map.of(
                "PATH",
                "/usr/bin",
                "STOPSIGN_FIXTURES",
                "/x",
                "STOPSIGN_MODEL_CLASSES",
                "[car, bus]"));
    assertThat(config.model().classes()).containsExactly("car", "bus");
  }

  @Test
  @DisplayName("--source fills cameras[0] with id cam1")
  void sourceFillsFirstCamera() {
    StopSignConfig config =
        ConfigLoader.load(null, "rtsp://127.0.0.1:8554/cam", Map.of(), new Properties());
    assertThat(config.cameras()).hasSize(1);
    assertThat(config.cameras().get(0).id()).isEqualTo("cam1");
    assertThat(config.cameras().get(0).source()).isEqualTo("rtsp://127.0.0.1:8554/cam");
  }

  @Test
  @DisplayName("an unknown key names itself")
  void unknownKey() throws IOException {
    Path file = write("http:\n  prot: 9000\n");
    assertThatThrownBy(() -> load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config: http.prot = 9000: unknown key");
  }

  @Test
  @DisplayName("a bad value names the key, the value and what is allowed")
  void badValues() throws IOException {
    assertThatThrownBy(() -> load(write("http:\n  port: 70000\n"), Map.of()))
        .hasMessage("config: http.port = 70000: must be an integer from 0 to 65535");
    assertThatThrownBy(() -> load(null, Map.of("STOPSIGN_HTTP_PORT", "eighty")))
        .hasMessage("config: http.port = \"eighty\": must be an integer from 0 to 65535");
    assertThatThrownBy(() -> load(write("model:\n  family: yolo9000\n"), Map.of()))
        .hasMessageStartingWith("config: model.family = \"yolo9000\": allowed: centernet, yolov8");
    assertThatThrownBy(() -> load(write("timezone: Mars/Olympus\n"), Map.of()))
        .hasMessageContaining("timezone");
    assertThatThrownBy(() -> load(write("roles: [analyzer, coffee]\n"), Map.of()))
        .hasMessageStartingWith("config: roles = \"coffee\": allowed:");
    assertThatThrownBy(
            () ->
                load(
                    write("cameras:\n  - id: a\n    source: x.mp4\n  - id: a\n    source: y.mp4\n"),
                    Map.of()))
        .hasMessageContaining("unique");
    assertThatThrownBy(() -> load(write("cameras:\n  - id: 'bad id!'\n    source: x\n"), Map.of()))
        .hasMessageStartingWith("config: cameras[0].id");
  }

  @Test
  @DisplayName("broken YAML and missing files are one-line errors")
  void brokenFiles() throws IOException {
    assertThatThrownBy(() -> load(write("http: [unclosed\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> load(dir.resolve("nope.yaml"), Map.of()))
        .hasMessageContaining("file not found");
    assertThatThrownBy(() -> load(write("- just\n- a list\n"), Map.of()))
        .hasMessageContaining("top level must be a mapping");
  }

  @Test
  @DisplayName(
      "environment and -D values keep the type their key declares: a string stays the exact text")
  void overridesKeepDeclaredType() {
    StopSignConfig config =
        load(
            null,
            Map.of(
                "STOPSIGN_HTTP_TOKEN", "#x",
                "STOPSIGN_DB_PASSWORD", "0x1F",
                "STOPSIGN_DB_USER", "yes",
                "STOPSIGN_TIMEZONE", "Europe/Paris",
                "STOPSIGN_MODEL_CLASSES", "[\"car\", \"0x1F\", yes, 12]"));
    assertThat(config.http().token()).isEqualTo("#x");
    assertThat(config.db().password()).isEqualTo("0x1F");
    assertThat(config.db().user()).isEqualTo("yes");
    assertThat(config.model().classes()).containsExactly("car", "0x1F", "yes", "12");
    Properties system = new Properties();
    system.setProperty("stopsign.http.token", "  null ");
    system.setProperty("stopsign.mediamtx.base_url", "~");
    StopSignConfig fromSystem = ConfigLoader.load(null, null, Map.of(), system);
    assertThat(fromSystem.http().token()).isEqualTo("  null ");
    assertThat(fromSystem.mediamtxBaseUrl()).isEqualTo("~");
  }

  @Test
  @DisplayName("numbers, booleans and lists from the environment are parsed strictly")
  void strictTypedOverrides() {
    assertThat(load(null, Map.of("STOPSIGN_HTTP_PORT", "9090")).http().port()).isEqualTo(9090);
    assertThat(load(null, Map.of("STOPSIGN_MODEL_CONFIDENCE", "0.45")).model().confidence())
        .isEqualTo(0.45);
    assertThatThrownBy(() -> load(null, Map.of("STOPSIGN_HTTP_PORT", "0x1F")))
        .hasMessage("config: http.port = \"0x1F\": must be an integer from 0 to 65535");
    assertThatThrownBy(() -> load(null, Map.of("STOPSIGN_HTTP_PORT", "+80")))
        .hasMessageStartingWith("config: http.port = \"+80\"");
    assertThatThrownBy(() -> load(null, Map.of("STOPSIGN_MODEL_CONFIDENCE", "NaN")))
        .hasMessageStartingWith("config: model.confidence = \"NaN\": must be a number");
    assertThatThrownBy(() -> load(null, Map.of("STOPSIGN_MODEL_CONFIDENCE", "0x1p-2")))
        .hasMessageStartingWith("config: model.confidence = \"0x1p-2\": must be a number");
    assertThatThrownBy(() -> load(null, Map.of("STOPSIGN_MODEL_CONFIDENCE", "1e400")))
        .hasMessageStartingWith("config: model.confidence = ");
    assertThatThrownBy(() -> load(null, Map.of("STOPSIGN_MODEL_CLASSES", "[car, {a: 1}")))
        .hasMessageStartingWith(
            "config: STOPSIGN_MODEL_CLASSES = \"[car, {a: 1}\": must be a list");
    assertThat(load(null, Map.of("STOPSIGN_ROLES", "web,persist")).roles())
        .containsExactlyInAnyOrder("web", "persist");
    Properties system = new Properties();
    system.setProperty("stopsign.tracker.confirm_hits", "yes");
    assertThatThrownBy(() -> ConfigLoader.load(null, null, Map.of(), system))
        .hasMessageStartingWith("config: tracker.confirm_hits = \"yes\": must be an integer");
  }
}
