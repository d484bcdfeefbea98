package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.TestDb;
import io.stopsign.testing.ZoneStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * PUT /api/cameras/{id}/geometry against the whole running service (a 320x240 test-pattern camera,
 * its real judge, embedded Postgres): refusals with their sentences, a save the judge, GET
 * /api/cameras, pass scoring and re-scores use at once, one audit event per save, and a restart
 * (new Service, same database) that keeps it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeometryApiTest {
  private static final String TOKEN = "zone-editor-test-token";
  private static final String CAMERA = "geo-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String PATH = "/api/cameras/" + CAMERA + "/geometry";

  @TempDir static Path dataDir;
  private static ZoneStack stack;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    stack = ZoneStack.start(dataDir, CAMERA, TOKEN);
    vertx = Vertx.vertx();
    pool = TestDb.get().pool(vertx, 2);
    stack.waitForFrame(CAMERA);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (pool != null) {
      ApiHarness.await(pool.close());
    }
    if (vertx != null) {
      ApiHarness.await(vertx.close());
    }
  }

  static JsonArray points(double... xy) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < xy.length; i += 2) {
      out.add(new JsonArray().add(xy[i]).add(xy[i + 1]));
    }
    return out;
  }

  static JsonObject valid() {
    return new JsonObject()
        .put("stop_zone", points(100, 100, 220, 100, 220, 200, 100, 200))
        .put("pre_stop_line", points(100, 225, 220, 225))
        .put("capture_line", points(100, 210, 220, 210))
        .putNull("calibration");
  }

  private static String refused(JsonObject body) throws Exception {
    HttpResponse<String> r = stack.put(PATH, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonObject error = new JsonObject(r.body());
    assertThat(error.getString("error")).isIn("bad_geometry", "invalid_parameter");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
    return error.getString("detail");
  }

  @Test
  @Order(1)
  @DisplayName("each bad geometry is refused with 400 and a sentence naming the key and the fault")
  void refusals() throws Exception {
    assertThat(refused(valid().put("stop_zone", points(100, 100, 220, 100, 140, 130, 100, 200))))
        .contains("stop_zone")
        .contains("must be convex");
    assertThat(refused(valid().put("stop_zone", points(100, 100, 220, 200, 220, 100, 100, 200))))
        .contains("self-intersecting");
    assertThat(refused(valid().put("stop_zone", points(100, 100, 400, 100, 220, 200, 100, 200))))
        .contains("stop_zone point 1 [400, 100] is outside the 320x240 frame");
    assertThat(refused(valid().put("pre_stop_line", points(90, 120, 230, 120))))
        .contains("pre_stop_line crosses the stop zone");
    assertThat(refused(valid().put("pre_stop_line", points(155, 225, 158, 239))))
        .contains("pre_stop_line points at the stop zone");
    assertThat(refused(valid().put("capture_line", points(100, 210, 104, 210))))
        .contains("capture_line is 4.0 px long");
    assertThat(refused(valid().put("capture_line", points(100, 210, 100, 210, 120, 210))))
        .contains("capture_line")
        .contains("exactly 2");
    JsonObject noZone = valid();
    noZone.remove("stop_zone");
    assertThat(refused(noZone)).contains("stop_zone is required");
    assertThat(refused(valid().put("stop_zone", new JsonArray())))
        .contains("stop_zone is required");
    assertThat(refused(valid().put("thresholds", new JsonObject().put("stop_speed", 3))))
        .contains("thresholds are not geometry");
    assertThat(refused(valid().put("zone", new JsonArray()))).contains("unknown key 'zone'");
    assertThat(
            refused(
                valid()
                    .put(
                        "calibration",
                        new JsonObject()
                            .put("image", points(100, 100, 150, 150, 200, 200, 100, 200))
                            .put("world", points(0, 10, 3.5, 10, 3.5, 0, 0, 0)))))
        .contains("calibration.image")
        .contains("in a line");
    // nothing refused was stored or audited
    assertThat(stack.camera(CAMERA).getString("geometry_source")).isEqualTo("config");
    assertThat(events()).isEmpty();
  }

  @Test
  @Order(2)
  @DisplayName("without the token 401, an unknown camera 404; neither changes anything")
  void unauthorisedAndUnknown() throws Exception {
    HttpResponse<String> none = stack.send("PUT", PATH, valid().encode(), "");
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = stack.send("PUT", PATH, valid().encode(), "not-the-token-at-all");
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> unknown = stack.put("/api/cameras/nosuchcam/geometry", valid());
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getString("detail")).contains("nosuchcam");
    assertThat(stack.camera(CAMERA).getString("geometry_source")).isEqualTo("config");
  }

  @Test
  @Order(3)
  @DisplayName(
      "a save goes to the judge at once, to GET /api/cameras, pass scoring and re-scores, with one audit event")
  void saveApplies() throws Exception {
    HttpResponse<String> r = stack.put(PATH, valid());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject saved = new JsonObject(r.body());
    assertThat(saved.getLong("version")).isEqualTo(1L);
    assertThat(saved.getBoolean("applied")).isTrue();
    assertThat(saved.getJsonObject("geometry").getJsonArray("stop_zone"))
        .isEqualTo(valid().getJsonArray("stop_zone"));

    stack.awaitJudgeZone(CAMERA, valid().getJsonArray("stop_zone"));
    JsonObject listed = stack.camera(CAMERA);
    assertThat(listed.getString("geometry_source")).isEqualTo("editor");
    assertThat(listed.getLong("geometry_version")).isEqualTo(1L);
    assertThat(listed.getJsonArray("stop_zone")).isEqualTo(valid().getJsonArray("stop_zone"));
    assertThat(listed.getJsonArray("pre_stop_line"))
        .isEqualTo(valid().getJsonArray("pre_stop_line"));

    List<JsonObject> events = events();
    assertThat(events).hasSize(1);
    JsonObject detail = events.get(0);
    assertThat(detail.getString("old_source")).isEqualTo("config");
    assertThat(detail.getJsonObject("old").getJsonArray("stop_zone"))
        .isEqualTo(points(40, 40, 200, 40, 200, 160, 40, 160));
    assertThat(detail.getJsonObject("new").getJsonArray("stop_zone"))
        .isEqualTo(valid().getJsonArray("stop_zone"));

    // a stop inside the new zone, far from the config file's: only the new geometry scores it full
    UUID pass = insertStopInNewZone();
    JsonObject scoring =
        new JsonObject(stack.send("GET", "/api/passes/" + pass, null, null).body())
            .getJsonObject("scoring");
    assertThat(scoring.getJsonArray("stop_zone")).isEqualTo(valid().getJsonArray("stop_zone"));
    HttpResponse<String> rescore =
        stack.send(
            "POST", "/api/passes/rescore", new JsonObject().put("camera", CAMERA).encode(), null);
    assertThat(rescore.statusCode()).as(rescore.body()).isEqualTo(200);
    JsonArray changed = new JsonObject(rescore.body()).getJsonArray("changed");
    assertThat(changed).hasSize(1);
    assertThat(changed.getJsonObject(0).getString("verdict_after")).isEqualTo("full");
  }

  @Test
  @Order(4)
  @DisplayName("a second save is version 2 with its own event; a restart keeps it, judge included")
  void restartKeeps() throws Exception {
    JsonObject second = valid().put("stop_zone", points(90, 90, 230, 95, 225, 200, 95, 205));
    HttpResponse<String> r = stack.put(PATH, second);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getLong("version")).isEqualTo(2L);
    List<JsonObject> events = events();
    assertThat(events).hasSize(2);
    assertThat(events.get(1).getString("old_source")).isEqualTo("editor");
    assertThat(events.get(1).getJsonObject("old").getJsonArray("stop_zone"))
        .isEqualTo(valid().getJsonArray("stop_zone"));

    stack.restart();
    JsonObject listed = stack.camera(CAMERA);
    assertThat(listed.getString("geometry_source")).isEqualTo("editor");
    assertThat(listed.getJsonArray("stop_zone")).isEqualTo(second.getJsonArray("stop_zone"));
    // the judge of the new process took the stored geometry, not the config file's
    stack.awaitJudgeZone(CAMERA, second.getJsonArray("stop_zone"));
  }

  /** The geometry_changed events of the camera, oldest first (their detail). */
  private static List<JsonObject> events() {
    List<JsonObject> out = new ArrayList<>();
    for (Row row :
        ApiHarness.await(
            pool.preparedQuery(
                    "SELECT payload FROM events WHERE camera = $1 AND kind = 'geometry_changed'"
                        + " ORDER BY ts_utc, ingest_seq")
                .execute(Tuple.of(CAMERA)))) {
      out.add((JsonObject) row.getValue("payload"));
    }
    return out;
  }

  /** Approaches from below, stops 3 s at y 150 (inside the new zone), leaves upwards. */
  private static UUID insertStopInNewZone() {
    JsonArray samples = new JsonArray();
    for (int i = 0; i <= 50; i++) {
      double t = i / 10.0;
      double y = t < 1 ? 235 - 85 * t : t < 4 ? 150 : 150 - 90 * (t - 4);
      samples.add(new JsonArray().add(t).add(140).add(y - 30).add(180).add(y));
    }
    UUID id = UUID.randomUUID();
    OffsetDateTime exit = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
    ApiHarness.await(
        pool.preparedQuery(
                "INSERT INTO passes (id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict,"
                    + " time_in_zone, stop_duration, min_speed, entry_speed, speed_unit, reason,"
                    + " trajectory) VALUES ($1, $2, $3, 3, $4, $5, 'none', 0, 0, 0, 80, 'px/s',"
                    + " 'test', $6)")
            .execute(
                Tuple.tuple()
                    .addUUID(id)
                    .addString(CAMERA)
                    .addUUID(UUID.randomUUID())
                    .addOffsetDateTime(exit)
                    .addOffsetDateTime(exit.minusSeconds(4))
                    .addValue(samples)));
    return id;
  }
}
