package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document passes {@code redocly lint}: a bearer security scheme on every operation
 * (generated clients send the token) and a 4xx answer on each.
 */
class OpenApiLintTest {
  /** Same version and place as bin/setup --test; installed here when missing. */
  static final String VERSION = "2.77.0";

  static final Path DIR = Path.of(System.getProperty("user.home"), ".cache/stopsign/redocly");

  @Test
  @DisplayName(
      "redocly lint finds no error in openapi.yaml, every operation has security and a 4xx")
  void lintsClean() throws Exception {
    Path redocly = DIR.resolve("node_modules/.bin/redocly");
    if (!Files.isExecutable(redocly)) {
      Files.createDirectories(DIR);
      Result install =
          run(
              List.of(
                  "npm",
                  "install",
                  "--no-audit",
                  "--no-fund",
                  "--prefix",
                  DIR.toString(),
                  "@redocly/cli@" + VERSION));
      assertThat(install.code()).as(install.output()).isZero();
    }
    Result lint =
        run(
            List.of(
                redocly.toString(), "lint", "--format=json", "src/main/resources/openapi.yaml"));
    String out = lint.output();
    JsonObject report = new JsonObject(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    assertThat(report.getString("version")).isEqualTo(VERSION);
    JsonArray problems = report.getJsonArray("problems");
    assertThat(report.getJsonObject("totals").getInteger("errors")).as(out).isZero();
    for (Object problem : problems) {
      String rule = ((JsonObject) problem).getString("ruleId");
      assertThat(rule).as(problem.toString()).isNotIn("security-defined", "operation-4xx-response");
    }
    assertThat(lint.code()).as(out).isZero();
  }

  record Result(int code, String output) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("redocly", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(false)
              .redirectOutput(log.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
