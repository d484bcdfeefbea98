package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.judge.PassScore;
import io.stopsign.judge.PassScorer;
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
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * For the test classes of POST /api/passes/rescore: one API server per class on the test database
 * with three cameras, {@code cam}'s passes stored as the live scorer judged them, and every answer
 * checked against the contract.
 */
@ExtendWith(VertxExtension.class)
abstract class RescoreApiPerClass {
  /** A road going down the image through a 200x100 px zone, as in the judge's tests. */
  static final String GEOMETRY =
      """
          stop_zone: [[540, 400], [740, 400], [740, 500], [540, 500]]
          pre_stop_line: [[540, 350], [740, 350]]
          capture_line: [[540, 450], [740, 450]]
      """;

  static final double T0 = 1_726_214_400.0; // 2024-09-13T08:00:00Z
  static final String FROM = "2024-09-13T07:00:00Z";
  static final String TO = "2024-09-13T09:00:00Z";

  @TempDir static Path dataDir;
  static ApiHarness api;
  static ResponseValidator contract;
  static String cam;
  static String busy;
  static String odd;
  static final Map<UUID, JsonArray> trajectories = new LinkedHashMap<>();
  static final Map<UUID, String> stored = new HashMap<>();

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    trajectories.clear(); // static, they outlive a class: only this class's passes
    stored.clear();
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
  static HttpResponse<Buffer> post(Object body) {
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

  static JsonObject rescore(JsonObject thresholds) {
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

  static List<String> rows() {
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
}
