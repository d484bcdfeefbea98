package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /api/passes/rescore: bad requests")
class RescoreValidationTest extends RescoreApiPerClass {

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
}
