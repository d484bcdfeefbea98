package io.stopsign.web;

import static io.stopsign.web.WebStack.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.StopSignConfig;
import io.stopsign.testing.TestDb;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages over the real history API (mounted by the web verticle) and the shared test Postgres.
 */
@ExtendWith(VertxExtension.class)
class HistoryPagesBrowserTest extends ChromiumPerClass {
  @TempDir Path dataDir;

  private static void insertPass(
      Pool pool, String camera, String verdict, long trackId, int minutesAgo) throws Exception {
    OffsetDateTime exit = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(minutesAgo);
    await(
        pool.preparedQuery(
                "INSERT INTO passes (id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict, time_in_zone,"
                    + " stop_duration, min_speed, entry_speed, speed_unit, trajectory)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'px/s', $12)")
            .execute(
                Tuple.tuple()
                    .addUUID(UUID.randomUUID())
                    .addString(camera)
                    .addUUID(UUID.randomUUID())
                    .addLong(trackId)
                    .addOffsetDateTime(exit)
                    .addOffsetDateTime(exit.minusSeconds(3))
                    .addString(verdict)
                    .addFloat(3.0f)
                    .addFloat(verdict.equals("full") ? 1.5f : 0f)
                    .addFloat(4.2f)
                    .addFloat(30f)
                    .addValue(
                        new JsonArray().add(new JsonArray().add(0).add(1).add(2).add(3).add(4)))));
  }

  @Test
  @DisplayName(
      "analytics shows compliance, counts and the recent passes from the API; the live page lists them too")
  void analyticsAndLiveHistory(Vertx vertx) throws Exception {
    String camera = "web-" + UUID.randomUUID().toString().substring(0, 8);
    StopSignConfig config =
        WebStack.config(dataDir, Map.of("cameras", "[{id: " + camera + ", source: testpattern}]"));
    Pool pool = TestDb.get().pool(vertx, 2);
    insertPass(pool, camera, "full", 1, 50);
    insertPass(pool, camera, "rolling", 2, 40);
    insertPass(pool, camera, "none", 3, 30);
    insertPass(pool, camera, "rejected", 4, 20);
    WebStack stack = WebStack.startWithApi(vertx, config, pool);
    try {
      browser.open(stack.url("/analytics.html?camera=" + camera));
      browser.waitFor(
          "document.querySelectorAll('#passes tr').length === 4", Duration.ofSeconds(15));
      Object totals =
          browser.waitFor(
              "document.getElementById('totals').innerText.includes('%') && document.getElementById('totals').innerText",
              Duration.ofSeconds(15));
      assertThat((String) totals)
          .as("compliance = full / (full + rolling + none)")
          .contains("33.3 %");
      assertThat((String) browser.js("return document.querySelector('#passes').innerText"))
          .contains("Full stop")
          .contains("Rolling stop")
          .contains("No stop")
          .contains("Rejected")
          .contains(camera);
      assertThat(
              browser.js(
                  "return document.querySelectorAll('#compliance-chart canvas, #counts-chart canvas').length"))
          .as("uPlot charts drawn")
          .isEqualTo(2L);
      assertThat((String) browser.js("return document.getElementById('message').textContent"))
          .isEmpty();

      browser.open(stack.url("/?camera=" + camera));
      browser.waitFor(
          "document.querySelectorAll('#passes li').length === 4", Duration.ofSeconds(15));
      assertThat(browser.js("return document.getElementById('passes-empty').hidden"))
          .isEqualTo(true);
    } finally {
      stack.close();
    }
  }
}
