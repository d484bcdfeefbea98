package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.ScoreCommand;
import io.stopsign.camera.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The score command")
class ScoreCommandTest {
  private static final String CONFIG =
      """
      cameras:
        - id: cam1
          source: testpattern
          stop_zone: [[540, 400], [740, 400], [740, 500], [540, 500]]
          pre_stop_line: [[540, 350], [740, 350]]
          capture_line: [[540, 450], [740, 450]]
        - id: strict
          source: testpattern
          stop_zone: [[540, 400], [740, 400], [740, 500], [540, 500]]
          thresholds:
            full_min_stop_duration: 5
      """;

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ScoreCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String line(Object id, List<Sample> samples) {
    JsonArray array = new JsonArray();
    samples.forEach(s -> array.add(s.toJson()));
    return new JsonObject().put("id", id).put("samples", array).encode();
  }

  private Path files(String... lines) throws IOException {
    Files.writeString(dir.resolve("stopsign.yaml"), CONFIG);
    return Files.write(dir.resolve("in.jsonl"), List.of(lines));
  }

  private List<JsonObject> outLines() {
    return out.toString(StandardCharsets.UTF_8).lines().map(JsonObject::new).toList();
  }

  @Test
  @DisplayName(
      "Good lines get a verdict each; malformed ones are reported by line number and skipped")
  void goodAndMalformedLines() throws IOException {
    Path in =
        files(
            line("a", ScenarioTest.fullStop().samples()),
            "{not json",
            line("b", ScenarioTest.noStop().samples()),
            "{\"samples\": []}",
            "{\"id\": \"c\", \"samples\": [[1, 2, 3]]}",
            "",
            "{\"id\": \"d\", \"samples\": [[2, 0, 0, 10, 10], [1, 0, 0, 10, 10]]}",
            line(5, ScenarioTest.rollingStop().samples()),
            "[1, 2]");
    int code =
        run("--config", dir.resolve("stopsign.yaml").toString(), "--trajectories", in.toString());
    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(1);
    assertThat(outLines()).extracting(j -> j.getValue("id")).containsExactly("a", "b", 5);
    assertThat(outLines())
        .extracting(j -> j.getString("verdict"))
        .containsExactly("full", "none", "rolling");
    assertThat(outLines().get(0).fieldNames())
        .contains("id", "verdict", "time_in_zone", "stop_duration", "min_speed", "reason");
    assertThat(errors.lines())
        .hasSize(5)
        .anySatisfy(l -> assertThat(l).startsWith("line 2: not a JSON object"))
        .anySatisfy(l -> assertThat(l).startsWith("line 4: ").contains("\"id\" is missing"))
        .anySatisfy(l -> assertThat(l).startsWith("line 5: sample 0: ").contains("[t,x1,y1,x2,y2]"))
        .anySatisfy(
            l -> assertThat(l).startsWith("line 7: sample 1: ").contains("does not increase"))
        .anySatisfy(l -> assertThat(l).startsWith("line 9: "));
    assertThat(errors).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  @DisplayName(
      "It scores exactly what the live service scored, and --camera picks other thresholds")
  void sameAsLive() throws IOException {
    PassEvent live = PassEventTestAccess.fullStopPass();
    Path in = files(live.toJson().encode());
    assertThat(
            run(
                "--config",
                dir.resolve("stopsign.yaml").toString(),
                "--trajectories",
                in.toString()))
        .isZero();
    JsonObject scored = outLines().get(0);
    JsonObject liveJson = live.toJson();
    for (String key :
        List.of("verdict", "time_in_zone", "stop_duration", "min_speed", "entry_speed", "reason")) {
      assertThat(scored.getValue(key)).as(key).isEqualTo(liveJson.getValue(key));
    }
    out.reset();
    assertThat(
            run(
                "--config",
                dir.resolve("stopsign.yaml").toString(),
                "--trajectories",
                in.toString(),
                "--camera",
                "strict"))
        .isZero();
    assertThat(outLines().get(0).getString("verdict")).isEqualTo("rolling");
  }

  @Test
  @DisplayName("Bad arguments or config exit with 2 and one line saying why")
  void badArguments() throws IOException {
    Path in = files(line("a", ScenarioTest.noStop().samples()));
    assertThat(run("--trajectories", in.toString())).isEqualTo(2);
    assertThat(run("--config", dir.resolve("stopsign.yaml").toString())).isEqualTo(2);
    assertThat(
            run(
                "--config",
                dir.resolve("missing.yaml").toString(),
                "--trajectories",
                in.toString()))
        .isEqualTo(2);
    assertThat(
            run(
                "--config",
                dir.resolve("stopsign.yaml").toString(),
                "--trajectories",
                "/nonexistent"))
        .isEqualTo(2);
    assertThat(
            run(
                "--config",
                dir.resolve("stopsign.yaml").toString(),
                "--trajectories",
                in.toString(),
                "--camera",
                "x"))
        .isEqualTo(2);
    assertThat(run("--bogus")).isEqualTo(2);
    Files.writeString(
        dir.resolve("bad.yaml"),
        "cameras:\n  - id: c\n    source: x\n    stop_zone: [[0,0],[1,1],[1,0],[0,1]]\n");
    assertThat(run("--config", dir.resolve("bad.yaml").toString(), "--trajectories", in.toString()))
        .isEqualTo(2);
    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(errors)
        .contains("cameras[0].stop_zone")
        .contains("--camera")
        .contains("file not found");
    assertThat(errors).doesNotContain("\tat ");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  /** The full-stop pass as the live judge emits it. */
  static final class PassEventTestAccess {
    static PassEvent fullStopPass() {
      return JudgeHarness.live(JudgeHarness.scene(), ScenarioTest.fullStop().samples())
          .of(1L)
          .get(0)
          .pass();
    }
  }
}
