package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /api/passes/rescore: limits")
class RescoreLimitsTest extends RescoreApiPerClass {

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
