package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures, run as a real process: exit code 2 and one clear line, no stack trace. */
class LauncherTest {
  @TempDir Path dir;

  private record Result(int code, String stderr) {}

  private Result runMain(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("STOPSIGN_DATA_DIR", dir.resolve("data").toString());
    Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), stderr);
  }

  @Test
  @DisplayName(
      "a broken config stops start-up with exit code 2 and one line naming key, value and what is allowed")
  void brokenConfig() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "http:\n  port: lots\n");
    Result result = runMain("run", "--config", config.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.stderr().strip())
        .isEqualTo("config: http.port = \"lots\": must be an integer from 0 to 65535");
  }

  @Test
  @DisplayName("a bad environment override is reported the same way")
  void badEnvironment() throws Exception {
    Path config = dir.resolve("ok.yaml");
    Files.writeString(config, "cameras:\n  - id: cam1\n    source: x.mp4\n    loop: perhaps\n");
    Result result = runMain("run", "--config", config.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.stderr().strip())
        .isEqualTo("config: cameras[0].loop = \"perhaps\": allowed: true, false");
  }

  @Test
  @DisplayName("a model path that is not a model is a clear error, exit code 2")
  void notAModel() throws Exception {
    Path config = dir.resolve("model.yaml");
    Path notModel = dir.resolve("notes.onnx");
    Files.writeString(notModel, "this is not a model");
    Files.writeString(
        config,
        "roles: [analyzer]\nmodel: {path: "
            + notModel
            + ", family: yolov8}\ncameras:\n  - id: cam1\n    source: "
            + Fixtures.path("media/road-cars-720p30.mp4")
            + "\n");
    Result result = runMain("run", "--config", config.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.stderr()).contains(notModel.toString()).doesNotContain("\tat ");
  }

  @Test
  @DisplayName("unknown commands and options print usage with exit code 2")
  void usage() throws Exception {
    assertThat(runMain("fly").code()).isEqualTo(2);
    Result result = runMain("run", "--colour", "blue");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.stderr()).contains("--colour");
  }
}
