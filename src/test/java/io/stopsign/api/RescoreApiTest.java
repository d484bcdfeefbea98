package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.ScoreCommand;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.judge.PassScore;
import io.stopsign.judge.PassScorer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@DisplayName("POST /api/passes/rescore")
class RescoreApiTest {
  /** A road going down the image through a 200x100 px zone, as in the judge's tests. */
  private static final String GEOMETRY =
      """
          stop_zone: [[540, 400], [740, 400], [740, 500], [540, 500]]
          pre_stop_line: [[540, 350], [740, 350]]
          capture_line: [[540, 450], [740, 450]]
      """;

  private static final double T0 = 1_726_214_400.0; // 2024-09-13T08:00:00Z
  private static final String FROM = "2024-09-13T07:00:00Z";
  private static final String TO = "2024-09-13T09:00:00Z";

  @TempDir static Path dataDir;
  @TempDir static Path work;
  static ApiHarness api;
  static ResponseValidator contract;
  static String cam;
  static String busy;
  static String odd;
  static final Map<UUID, JsonArray> trajectories = new LinkedHashMap<>();
  static final Map<UUID, String> stored = new HashMap<>();

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    contract =
        ResponseValidator.create(
            vertx, ApiHarness.await(OpenAPIContract.from(vertx, ApiDocs.load().contract())));
    cam = ApiHarness.camera("rescore");
    busy = ApiHarness.camera("busy");
    odd = ApiHarness.camera("odd");
    api =
        ApiHarness.start(
            vertx,
            Map.of(
                "data_dir",
                dataDir.toString(),
                "cameras",
                List.of(cameraTree(cam), cameraTree(busy), cameraTree(odd))));
    PassScorer live = new PassScorer(JudgeGeometry.of(api.config.cameras().get(0).judge()));
    // Two 1 s stops (rolling under the reference thresholds), a 2 s stop (full), no stop (none).
    insert(live, stopping(T0, 1.0));
    insert(live, stopping(T0 + 60, 1.0));
    insert(live, stopping(T0 + 120, 2.0));
    insert(live, stopping(T0 + 180, -1));
    // Out of the range and another camera: never read.
    insert(live, stopping(T0 + 7200, 1.0));
    ApiHarness.Pass other =
        new ApiHarness.Pass(busy, Instant.ofEpochSecond((long) T0)).verdict("rolling");
    other.trajectory = json(stopping(T0, 1.0));
    api.insertPass(other);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static Map<String, Object> cameraTree(String id) {
    Map<String, Object> camera = new LinkedHashMap<>();
    camera.put("id", id);
    camera.put("source", "testpattern");
    camera.put(
        "stop_zone",
        List.of(List.of(540, 400), List.of(740, 400), List.of(740, 500), List.of(540, 500)));
    camera.put("pre_stop_line", List.of(List.of(540, 350), List.of(740, 350)));
    camera.put("capture_line", List.of(List.of(540, 450), List.of(740, 450)));
    return camera;
  }

  /**
   * A car heading down the image at 150 px/s that brakes evenly to stand at row 450 (mid-zone) for
   * {@code stopSeconds}, then drives on; a negative stop means it never slows down. 30 fps, 120x90
   * boxes with the bottom centre on the path.
   */
  static List<Sample> stopping(double t0, double stopSeconds) {
    List<double[]> path = new ArrayList<>(); // t, bottom row
    double dt = 1 / 30.0;
    double t = t0;
    double y = 200;
    double v = 150;
    double brake = 150 * 150 / (2 * 70.0); // from row 380 to a stand at 450
    while (y < 700) {
      path.add(new double[] {t, y});
      double a = 0;
      if (stopSeconds >= 0 && y >= 380 && y < 450 && v > 0) {
        a = -brake;
      }
      double nv = Math.max(0, v + a * dt);
      y += (v + nv) / 2 * dt;
      v = nv;
      t += dt;
      if (stopSeconds >= 0 && v == 0) {
        y = 450;
        for (double end = t + stopSeconds; t < end - 1e-9; t += dt) {
          path.add(new double[] {t, y});
        }
        stopSeconds = -1; // then accelerate at 150 px/s² back to 150 px/s
        for (; v < 150 && y < 700; t += dt) {
          path.add(new double[] {t, y});
          double nv2 = Math.min(150, v + 150 * dt);
          y += (v + nv2) / 2 * dt;
          v = nv2;
        }
      }
    }
    List<Sample> samples = new ArrayList<>();
    for (double[] p : path) {
      samples.add(new Sample(p[0], 640 - 60, p[1] - 90, 640 + 60, p[1]));
    }
    return samples;
  }

  private static JsonArray json(List<Sample> samples) {
    JsonArray array = new JsonArray();
    samples.forEach(s -> array.add(s.toJson()));
    return array;
  }

  /** Stores the pass as the live service would have: its verdict from the same scorer. */
  private static void insert(PassScorer live, List<Sample> samples) {
    PassScore score = live.score(samples);
    assertThat(score.pass()).isTrue();
    ApiHarness.Pass p =
        new ApiHarness.Pass(cam, Instant.ofEpochMilli(Math.round(score.exitTs() * 1000)))
            .verdict(score.verdict().wire())
            .stop((float) score.stopDuration())
            .minSpeed((float) score.minSpeed())
            .entrySpeed((float) score.entrySpeed());
    p.timeInZone = (float) score.timeInZone();
    p.trajectory = json(samples);
    UUID id = api.insertPass(p);
    trajectories.put(id, p.trajectory);
    stored.put(id, p.verdict);
  }

  /**
   * Posts the body (a JsonObject, or raw text sent as JSON); the answer must match the contract.
   */
  private static HttpResponse<Buffer> post(Object body) {
    var request = api.client.post("/api/passes/rescore");
    HttpResponse<Buffer> r =
        body instanceof JsonObject json
            ? ApiHarness.await(request.sendJsonObject(json))
            : ApiHarness.await(
                request
                    .putHeader("content-type", "application/json")
                    .sendBuffer(Buffer.buffer(body.toString())));
    if (r.statusCode() != 413) {
      ApiHarness.await(
          contract.validate(
              ValidatableResponse.create(r.statusCode(), r.body(), "application/json"),
              "rescorePasses"));
    }
    return r;
  }

  private static JsonObject rescore(JsonObject thresholds) {
    HttpResponse<Buffer> r =
        post(
            new JsonObject()
                .put("camera", cam)
                .put("from", FROM)
                .put("to", TO)
                .put("thresholds", thresholds));
    assertThat(r.statusCode()).as(ApiHarness.body(r)).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static List<String> rows() {
    List<String> out = new ArrayList<>();
    for (Row row :
        ApiHarness.await(
            api.pool
                .preparedQuery(
                    "SELECT id, verdict, time_in_zone, stop_duration, min_speed, reason,"
                        + " trajectory::text AS t FROM passes WHERE camera = $1 ORDER BY id")
                .execute(Tuple.of(cam)))) {
      out.add(row.toJson().encode());
    }
    return out;
  }

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
  @DisplayName("Bad bodies answer 400 {error, detail} naming the problem, never a stack trace")
  void badBodies() {
    JsonObject ok = new JsonObject().put("camera", cam).put("from", FROM).put("to", TO);
    Map<Object, String[]> cases = new LinkedHashMap<>();
    cases.put(ok.copy().put("camera", "nope"), new String[] {"unknown_camera", "nope"});
    cases.put(ok.copy().put("camera", "../etc"), new String[] {"invalid_parameter", "camera"});
    JsonObject noCamera = ok.copy();
    noCamera.remove("camera");
    cases.put(noCamera, new String[] {"invalid_parameter", "camera"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("stop_sped", 3)),
        new String[] {"bad_thresholds", "thresholds.stop_sped"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("stop_speed", -1)),
        new String[] {"bad_thresholds", "thresholds.stop_speed"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("stop_speed", "0.5 m/s")),
        new String[] {"bad_thresholds", "no calibration"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("stop_speed", "fast")),
        new String[] {"bad_thresholds", "thresholds.stop_speed"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("full_min_stop_duration", 601)),
        new String[] {"bad_thresholds", "thresholds.full_min_stop_duration"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("min_pass_duration", 90)),
        new String[] {"bad_thresholds", "max_pass_duration"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("debounce_frames", 2.5)),
        new String[] {"invalid_parameter", "debounce_frames"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("speed_unit", "m/s")),
        new String[] {"bad_thresholds", "thresholds.speed_unit"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("full_min_stop_duration", "long")),
        new String[] {"invalid_parameter", "full_min_stop_duration"});
    cases.put(ok.copy().put("thresholds", 3), new String[] {"invalid_parameter", "thresholds"});
    cases.put(ok.copy().put("from", TO).put("to", FROM), new String[] {"bad_range", "after"});
    cases.put(ok.copy().put("from", "2024-08-01T00:00:00Z"), new String[] {"bad_range", "31 days"});
    cases.put(ok.copy().put("from", "yesterday"), new String[] {"bad_time", "from"});
    cases.put(ok.copy().put("to", -5), new String[] {"bad_time", "to"});
    cases.put(ok.copy().put("extra", true), new String[] {"invalid_parameter", "extra"});
    String raw = "{\"camera\": \"" + cam + "\", ";
    cases.put(raw + "\"from\": 1e400, \"to\": \"" + TO + "\"}", new String[] {"bad_time", "from"});
    cases.put(raw + "\"from\": \"" + FROM + "\", \"to\": -1e400}", new String[] {"bad_time", "to"});
    cases.put(raw + "\"from\": 1e20, \"to\": \"" + TO + "\"}", new String[] {"bad_time", "from"});
    cases.put(
        raw + "\"from\": \"" + FROM + "\", \"to\": 1e-400, \"thresholds\": {}}",
        new String[] {"bad_range", "after"});
    cases.put(
        raw + "\"thresholds\": {\"stop_speed\": 1e400}}",
        new String[] {"bad_thresholds", "thresholds.stop_speed"});
    cases.put(
        raw + "\"thresholds\": {\"full_min_time_in_zone\": -1e400}}",
        new String[] {"bad_thresholds", "thresholds.full_min_time_in_zone"});
    cases.put(
        raw + "\"thresholds\": {\"debounce_frames\": 1e30}}",
        new String[] {"bad_thresholds", "thresholds.debounce_frames"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("stop_speed", "NaN")),
        new String[] {"bad_thresholds", "thresholds.stop_speed"});
    cases.put(
        ok.copy().put("thresholds", new JsonObject().put("stop_speed", "0x1p3")),
        new String[] {"bad_thresholds", "thresholds.stop_speed"});
    cases.put("{not json", new String[] {"invalid_parameter", "body"});
    cases.put("", new String[] {"invalid_parameter", "body"});
    cases.put("[1, 2]", new String[] {"invalid_parameter", "body"});
    for (Map.Entry<Object, String[]> c : cases.entrySet()) {
      HttpResponse<Buffer> r = post(c.getKey());
      String body = ApiHarness.body(r);
      String as = c.getKey() + " -> " + body;
      assertThat(r.statusCode()).as(as).isEqualTo(400);
      assertThat(r.getHeader("content-type")).as(as).startsWith("application/json");
      JsonObject json = new JsonObject(body);
      assertThat(json.fieldNames()).as(as).containsExactlyInAnyOrder("error", "detail");
      assertThat(json.getString("error")).as(as).isEqualTo(c.getValue()[0]);
      assertThat(json.getString("detail")).as(as).contains(c.getValue()[1]);
      assertThat(body)
          .as(as)
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain("io.stopsign");
    }
  }

  @Test
  @DisplayName(
      "At most 2 re-scores run at once: a third is refused 429 with Retry-After, the two finish")
  void concurrentRescoresCapped(Vertx vertx) {
    // the API's pool has 4 connections: hold them all, so the first re-scores wait in their query
    List<SqlConnection> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(ApiHarness.await(api.pool.getConnection()));
    }
    JsonObject body = new JsonObject().put("camera", cam).put("from", FROM).put("to", TO);
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    List<HttpResponse<Buffer>> refused = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        sent.add(api.client.post("/api/passes/rescore").sendJsonObject(body));
      }
      // two take the places and wait for a connection; the other six are answered at once
      for (int i = 0; i < 200 && refused.size() < 6; i++) {
        refused.clear();
        sent.stream()
            .filter(f -> f.isComplete() && f.succeeded())
            .forEach(f -> refused.add(f.result()));
        ApiHarness.await(vertx.timer(50));
      }
    } finally {
      held.forEach(SqlConnection::close);
    }
    assertThat(refused).hasSize(6);
    for (HttpResponse<Buffer> r : refused) {
      assertThat(r.statusCode()).as(ApiHarness.body(r)).isEqualTo(429);
      assertThat(r.getHeader("retry-after")).isEqualTo("5");
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
    }
    long ok = sent.stream().map(ApiHarness::await).filter(r -> r.statusCode() == 200).count();
    assertThat(ok).isEqualTo(RescoreHandler.MAX_CONCURRENT);
    assertThat(post(body).statusCode()).as("places are given back").isEqualTo(200);
  }

  @Test
  @DisplayName("A body that is not JSON by its type, or too large, is refused with JSON too")
  void wrongTypeAndHugeBodies() {
    String ok = new JsonObject().put("camera", cam).put("from", FROM).put("to", TO).encode();
    HttpResponse<Buffer> text =
        ApiHarness.await(
            api.client
                .post("/api/passes/rescore")
                .putHeader("content-type", "text/plain")
                .sendBuffer(Buffer.buffer(ok)));
    assertThat(text.statusCode()).as(ApiHarness.body(text)).isEqualTo(400);
    assertThat(text.bodyAsJsonObject().getString("error")).isEqualTo("invalid_parameter");
    JsonObject huge =
        new JsonObject()
            .put("camera", cam)
            .put("thresholds", new JsonObject().put("x", "y".repeat(100_000)));
    HttpResponse<Buffer> big = post(huge);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.bodyAsJsonObject().getString("error")).isEqualTo("too_large");
    // the body is read before validation, yet GETs still work after it
    assertThat(api.get("/api/passes/rescore").statusCode()).isEqualTo(400);
    assertThat(api.getJson("/api/passes?camera=" + cam).getJsonArray("items")).hasSize(5);
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

  @Test
  @DisplayName("More than 5000 passes in the range answer 400 too_many_passes without reading them")
  void tooManyPasses() {
    ApiHarness.await(
        api.pool
            .preparedQuery(
                "INSERT INTO passes (id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict,"
                    + " time_in_zone, stop_duration, min_speed, entry_speed, speed_unit, trajectory)"
                    + " SELECT gen_random_uuid(), $1, gen_random_uuid(), i,"
                    + " to_timestamp($2 + i * 0.01), to_timestamp($2 + i * 0.01 - 1), 'none',"
                    + " 1, 0, 100, 100, 'px/s', '[]'::jsonb FROM generate_series(1, 5001) AS i")
            .execute(Tuple.of(busy, T0)));
    HttpResponse<Buffer> r =
        post(new JsonObject().put("camera", busy).put("from", FROM).put("to", T0 + 3600));
    assertThat(r.statusCode()).as(ApiHarness.body(r)).isEqualTo(400);
    JsonObject json = r.bodyAsJsonObject();
    assertThat(json.getString("error")).isEqualTo("too_many_passes");
    assertThat(json.getString("detail")).contains("5000").contains(busy);
  }
}
