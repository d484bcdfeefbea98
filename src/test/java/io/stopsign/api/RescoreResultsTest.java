package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.ScoreCommand;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("POST /api/passes/rescore: the verdicts under other thresholds")
class RescoreResultsTest extends RescoreApiPerClass {
  @TempDir static Path work;

  @Test
  @DisplayName(
      "Lowering full_min_stop_duration to 0.8 s turns the two 1 s stops from rolling into full, and stores nothing")
  void lowerStopDuration() {
    List<String> before = rows();
    long started = System.nanoTime();
    JsonObject result = rescore(new JsonObject().put("full_min_stop_duration", 0.8));
    long ms = (System.nanoTime() - started) / 1_000_000;

    assertThat(result.getString("camera")).isEqualTo(cam);
    assertThat(result.getInteger("count")).isEqualTo(4);
    assertThat(result.getJsonObject("thresholds").getDouble("full_min_stop_duration"))
        .isEqualTo(0.8);
    assertThat(result.getJsonObject("thresholds").getDouble("full_min_time_in_zone"))
        .isEqualTo(2.0);
    assertThat(result.getJsonObject("thresholds").getString("speed_unit")).isEqualTo("px/s");
    assertThat(result.getJsonObject("before").getMap())
        .containsEntry("full", 1)
        .containsEntry("rolling", 2)
        .containsEntry("none", 1)
        .containsEntry("rejected", 0)
        .containsEntry("compliance", 0.25);
    assertThat(result.getJsonObject("after").getMap())
        .containsEntry("full", 3)
        .containsEntry("rolling", 0)
        .containsEntry("none", 1)
        .containsEntry("rejected", 0)
        .containsEntry("compliance", 0.75);
    JsonArray changed = result.getJsonArray("changed");
    assertThat(changed).hasSize(2);
    for (int i = 0; i < changed.size(); i++) {
      JsonObject c = changed.getJsonObject(i);
      assertThat(c.getString("verdict_before")).isEqualTo("rolling");
      assertThat(c.getString("verdict_after")).isEqualTo("full");
      assertThat(c.getDouble("stop_duration")).isBetween(0.8, 1.2);
      assertThat(c.getDouble("time_in_zone")).isGreaterThanOrEqualTo(2.0);
      assertThat(c.getDouble("min_speed")).isLessThan(12.0);
      assertThat(stored.get(UUID.fromString(c.getString("id")))).isEqualTo("rolling");
    }
    // newest first, like GET /passes
    assertThat(changed.getJsonObject(0).getDouble("ts_utc"))
        .isGreaterThan(changed.getJsonObject(1).getDouble("ts_utc"));
    assertThat(result.getJsonArray("unscored")).isEmpty();
    assertThat(rows()).as("stored rows are not modified").isEqualTo(before);
    System.out.printf("rescore of 4 passes answered in %d ms%n", ms);
  }

  @Test
  @DisplayName("Without overrides every verdict stays as the live scorer stored it")
  void sameThresholds() {
    JsonObject result = rescore(new JsonObject());
    assertThat(result.getJsonObject("after")).isEqualTo(result.getJsonObject("before"));
    assertThat(result.getJsonArray("changed")).isEmpty();
  }

  @Test
  @DisplayName(
      "Stricter thresholds (a speed given with its unit) turn the full stop into a rolling one")
  void stricterThresholds() {
    JsonObject result =
        rescore(new JsonObject().put("stop_speed", "6 px/s").put("full_min_stop_duration", 2.5));
    assertThat(result.getJsonObject("thresholds").getDouble("stop_speed")).isEqualTo(6.0);
    assertThat(result.getJsonObject("before").getInteger("full")).isEqualTo(1);
    assertThat(result.getJsonObject("after").getInteger("full")).isZero();
    assertThat(result.getJsonArray("changed"))
        .extracting(c -> ((JsonObject) c).getString("verdict_after"))
        .containsOnly("rolling");
  }

  @Test
  @DisplayName(
      "The re-scored verdicts and measures equal what the score command prints for the same trajectories and thresholds")
  void sameAsScoreCommand() throws IOException {
    JsonObject result =
        rescore(new JsonObject().put("full_min_stop_duration", 0.8).put("stop_speed", 14));
    Files.writeString(
        work.resolve("stopsign.yaml"),
        "cameras:\n  - id: "
            + cam
            + "\n    source: testpattern\n"
            + GEOMETRY
            + "    thresholds:\n      full_min_stop_duration: 0.8\n      stop_speed: 14\n");
    List<String> lines = new ArrayList<>();
    for (UUID id : trajectories.keySet()) {
      // the stored pass as the API gives it back, trajectory included
      lines.add(api.getJson("/api/passes/" + id).encode());
    }
    Path in = Files.write(work.resolve("passes.jsonl"), lines);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ScoreCommand.run(
            new String[] {
              "--config", work.resolve("stopsign.yaml").toString(), "--trajectories", in.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

    Map<String, JsonObject> changed = new HashMap<>();
    result
        .getJsonArray("changed")
        .forEach(c -> changed.put(((JsonObject) c).getString("id"), (JsonObject) c));
    assertThat(changed).isNotEmpty();
    Map<String, Long> counts = new HashMap<>();
    for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
      JsonObject printed = new JsonObject(line);
      String id = printed.getString("id");
      Instant ts =
          Instant.ofEpochMilli(
              Math.round(api.getJson("/api/passes/" + id).getDouble("ts_utc") * 1000));
      if (ts.isAfter(Instant.parse(TO))) {
        continue; // out of the re-scored range
      }
      counts.merge(printed.getString("verdict"), 1L, Long::sum);
      JsonObject c = changed.get(id);
      if (c == null) {
        assertThat(printed.getString("verdict")).as(id).isEqualTo(stored.get(UUID.fromString(id)));
      } else {
        assertThat(c.getString("verdict_after")).as(id).isEqualTo(printed.getString("verdict"));
        for (String measure : List.of("time_in_zone", "stop_duration", "min_speed")) {
          assertThat(c.getDouble(measure))
              .as(id + " " + measure)
              .isEqualTo(printed.getDouble(measure));
        }
        assertThat(c.getString("reason")).isEqualTo(printed.getString("reason"));
      }
    }
    JsonObject after = result.getJsonObject("after");
    for (String verdict : List.of("full", "rolling", "none", "rejected")) {
      assertThat(after.getLong(verdict)).as(verdict).isEqualTo(counts.getOrDefault(verdict, 0L));
    }
  }

  @Test
  @DisplayName(
      "A stored trajectory that cannot be replayed keeps its verdict and is listed as unscored")
  void unreadableTrajectory() {
    ApiHarness.Pass broken =
        new ApiHarness.Pass(odd, Instant.ofEpochSecond((long) T0)).verdict("full");
    broken.trajectory = new JsonArray("[[2, 0, 0, 10, 10], [1, 0, 0, 10, 10]]");
    UUID id = api.insertPass(broken);
    HttpResponse<Buffer> r =
        post(new JsonObject().put("camera", odd).put("from", FROM).put("to", TO));
    assertThat(r.statusCode()).as(ApiHarness.body(r)).isEqualTo(200);
    JsonObject result = r.bodyAsJsonObject();
    assertThat(result.getJsonObject("after")).isEqualTo(result.getJsonObject("before"));
    assertThat(result.getJsonArray("changed")).isEmpty();
    JsonObject unscored = result.getJsonArray("unscored").getJsonObject(0);
    assertThat(unscored.getString("id")).isEqualTo(id.toString());
    assertThat(unscored.getString("reason")).contains("does not increase");
  }
}
