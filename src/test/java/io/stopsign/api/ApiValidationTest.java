package io.stopsign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.TestDb;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiValidationTest extends ApiPerClass {
  @Test
  @DisplayName(
      "bad ranges, times, verdicts, limits, cursors, ids and zones answer 400 {error, detail}"
          + " without a stack trace")
  void badRequests() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/api/passes?from=2024-09-13T00:00:00Z&to=2024-09-12T00:00:00Z", "bad_range");
    cases.put("/api/stats?from=2024-09-13T00:00:00Z&to=2024-09-12T00:00:00Z", "bad_range");
    cases.put("/api/stats?from=2023-01-01T00:00:00Z&to=2024-09-12T00:00:00Z", "bad_range");
    cases.put("/api/records?from=2020-01-01T00:00:00Z&to=2024-09-12T00:00:00Z", "bad_range");
    cases.put("/api/session-metrics?from=1500000000&to=1700000000", "bad_range");
    cases.put("/api/passes?from=yesterday", "bad_time");
    cases.put("/api/passes?from=2024-13-45T00:00:00Z", "bad_time");
    cases.put("/api/passes?to=2024-09-12", "bad_time");
    cases.put("/api/passes?from=-5", "bad_time");
    cases.put("/api/passes?verdict=maybe", "invalid_parameter");
    cases.put("/api/passes?verdict=full&verdict=stopped", "invalid_parameter");
    cases.put("/api/passes?limit=501", "invalid_parameter");
    cases.put("/api/passes?limit=100000000000000000000", "invalid_parameter");
    cases.put("/api/passes?limit=0", "invalid_parameter");
    cases.put("/api/passes?limit=-3", "invalid_parameter");
    cases.put("/api/passes?limit=ten", "invalid_parameter");
    cases.put("/api/passes?limit=2.5", "invalid_parameter");
    cases.put("/api/records?limit=1000", "invalid_parameter");
    cases.put("/api/session-metrics?limit=0", "invalid_parameter");
    cases.put("/api/passes?cursor=garbage!!", "bad_cursor");
    cases.put("/api/passes?cursor=" + b64("foo"), "bad_cursor");
    cases.put("/api/passes?cursor=" + b64("1.abc." + UUID.randomUUID()), "bad_cursor");
    cases.put(
        "/api/passes?cursor=" + b64("1.99999999999999999999." + UUID.randomUUID()), "bad_cursor");
    cases.put("/api/passes?cursor=" + "A".repeat(300), "invalid_parameter");
    cases.put(
        "/api/passes?cursor=" + b64("1.-9000000000000000000." + UUID.randomUUID()), "bad_cursor");
    cases.put(
        "/api/passes?cursor=" + b64("1.9000000000000000000." + UUID.randomUUID()), "bad_cursor");
    cases.put("/api/passes?from=1e400", "bad_time");
    cases.put("/api/passes?to=99999999999999", "bad_time");
    cases.put("/api/stats?from=NaN", "bad_time");
    cases.put("/api/passes?limit=1e3", "invalid_parameter");
    cases.put("/api/records?limit=%2B5e400", "invalid_parameter");
    cases.put("/api/session-metrics?from=0x10", "bad_time");
    cases.put("/api/passes/not-a-uuid", "invalid_parameter");
    cases.put("/api/passes/1234/snapshot", "invalid_parameter");
    cases.put("/api/passes?camera=..%2F..%2Fetc", "invalid_parameter");
    cases.put("/api/stats?bucket=week", "invalid_parameter");
    cases.put("/api/stats?tz=Mars/Olympus", "bad_timezone");
    cases.put("/api/stats?tz=%2B02:00", "bad_timezone");
    cases.put("/api/stats?tz=GMT%2B2", "bad_timezone");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<Buffer> r = api.get(c.getKey());
      String body = ApiHarness.body(r);
      assertThat(r.statusCode()).as(c.getKey() + " -> " + body).isEqualTo(400);
      assertThat(r.getHeader("content-type")).as(c.getKey()).startsWith("application/json");
      JsonObject json = new JsonObject(body);
      assertThat(json.fieldNames()).as(c.getKey()).containsExactlyInAnyOrder("error", "detail");
      assertThat(json.getString("error")).as(c.getKey() + " -> " + body).isEqualTo(c.getValue());
      assertThat(json.getString("detail")).as(c.getKey()).isNotBlank();
      assertNoStackTrace(body);
    }
  }

  @Test
  @DisplayName("unknown passes and unknown API paths answer 404 JSON")
  void notFound() {
    for (String uri :
        new String[] {
          "/api/passes/" + UUID.randomUUID(),
          "/api/nothing-here",
          "/api/passes/" + UUID.randomUUID() + "/snapshot"
        }) {
      HttpResponse<Buffer> r = api.get(uri);
      assertThat(r.statusCode()).as(uri).isEqualTo(404);
      JsonObject json = r.bodyAsJsonObject();
      assertThat(json.getString("error")).isEqualTo("not_found");
      assertThat(json.getString("detail")).isNotBlank();
      assertNoStackTrace(ApiHarness.body(r));
    }
  }

  @Test
  @DisplayName("an unreachable database answers 503 db_unavailable, not a stack trace")
  void databaseDown(Vertx vertx) {
    Pool nowhere =
        PgBuilder.pool()
            .connectingTo(
                new PgConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(1)
                    .setUser("x")
                    .setPassword("x")
                    .setDatabase("x"))
            .using(vertx)
            .build();
    try (ApiHarness down =
        ApiHarness.start(vertx, nowhere, Map.of("data_dir", dataDir.toString()))) {
      HttpResponse<Buffer> r = down.get("/api/passes");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("db_unavailable");
      assertNoStackTrace(ApiHarness.body(r));
      // what does not need the database still answers
      assertThat(down.get("/api/cameras").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName(
      "API queries run under a statement timeout; one cancelled by it answers 503 query_timeout")
  void statementTimeout(Vertx vertx) {
    Pool apiPool = TestDb.get().apiPool(vertx, 1);
    try {
      String timeout =
          ApiHarness.await(apiPool.query("SHOW statement_timeout").execute())
              .iterator()
              .next()
              .getString(0);
      assertThat(timeout).isEqualTo("10s");
    } finally {
      apiPool.close();
    }
    Pool hasty =
        PgBuilder.pool()
            .connectingTo(TestDb.get().connectOptions().addProperty("statement_timeout", "200"))
            .using(vertx)
            .build();
    Pool lockPool =
        PgBuilder.pool().connectingTo(TestDb.get().connectOptions()).using(vertx).build();
    SqlConnection locker = ApiHarness.await(lockPool.getConnection());
    try (ApiHarness slow = ApiHarness.start(vertx, hasty, Map.of("data_dir", dataDir.toString()))) {
      // the stats query waits on a lock held here, so the statement timeout must cancel it
      Transaction tx = ApiHarness.await(locker.begin());
      ApiHarness.await(locker.query("LOCK TABLE passes IN ACCESS EXCLUSIVE MODE").execute());
      HttpResponse<Buffer> r =
          slow.get("/api/stats?bucket=hour&from=2023-09-13T00:00:00Z&to=2024-09-12T00:00:00Z");
      ApiHarness.await(tx.rollback());
      assertThat(r.statusCode()).as(ApiHarness.body(r)).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("query_timeout");
      assertNoStackTrace(ApiHarness.body(r));
    } finally {
      locker.close();
      lockPool.close();
    }
  }

  private static void assertNoStackTrace(String body) {
    assertThat(body)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("io.vertx")
        .doesNotContain("io.stopsign");
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
