package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.RtspServer;
import io.stopsign.testing.TestDb;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures, run as a real process: exit code 2 and one clear line, no stack trace. */
class LauncherTest {
  @TempDir Path dir;

  private record Result(int code, String stderr) {}

  private Result runMain(String... args) throws IOException, InterruptedException {
    return runMain(Map.of(), args);
  }

  private Result runMain(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder = builder(env, args);
    Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), stderr);
  }

  private ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("STOPSIGN_DATA_DIR", dir.resolve("data").toString());
    builder.environment().putAll(env);
    return builder;
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

  @Test
  @DisplayName(
      "STOPSIGN_HTTP_TOKEN='#x' is the token #x: the running service answers 401 without it")
  void hashTokenFromEnvironment() throws Exception {
    int port = RtspServer.freePort();
    Map<String, String> env =
        Map.of(
            "STOPSIGN_HTTP_TOKEN",
            "#x",
            "STOPSIGN_HTTP_PORT",
            String.valueOf(port),
            "STOPSIGN_ROLES",
            "web",
            "STOPSIGN_DB_URL",
            TestDb.url());
    Path log = dir.resolve("service.log");
    Process process =
        builder(env, "run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI cameras = URI.create("http://127.0.0.1:" + port + "/api/cameras");
      HttpResponse<String> anonymous = null;
      for (int i = 0; i < 600 && anonymous == null && process.isAlive(); i++) {
        try {
          anonymous = client.send(HttpRequest.newBuilder(cameras).build(), BodyHandlers.ofString());
        } catch (ConnectException e) {
          Thread.sleep(200);
        }
      }
      assertThat(anonymous).as("service log:%n%s", Files.readString(log)).isNotNull();
      assertThat(anonymous.statusCode()).isEqualTo(401);
      HttpResponse<String> withToken =
          client.send(
              HttpRequest.newBuilder(cameras).header("Authorization", "Bearer #x").build(),
              BodyHandlers.ofString());
      assertThat(withToken.statusCode()).isEqualTo(200);
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName(
      "a short token beyond loopback, or an unreadable http.token_file, stops start-up with one line")
  void weakOrMissingToken() throws Exception {
    Result weak =
        runMain(Map.of("STOPSIGN_HTTP_HOST", "0.0.0.0", "STOPSIGN_HTTP_TOKEN", "letmein"), "run");
    assertThat(weak.code()).isEqualTo(2);
    assertThat(weak.stderr().strip())
        .isEqualTo(
            "config: http.token = \"(7 characters)\": a token must have at least 16 characters"
                + " when http.host is not loopback (0.0.0.0)");
    Path missing = dir.resolve("no-such-secret");
    Result unreadable = runMain(Map.of("STOPSIGN_HTTP_TOKEN_FILE", missing.toString()), "run");
    assertThat(unreadable.code()).isEqualTo(2);
    assertThat(unreadable.stderr().strip())
        .isEqualTo(
            "config: http.token_file = \"" + missing + "\": cannot be read: NoSuchFileException");
  }
}
