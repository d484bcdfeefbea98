package io.stopsign.web;

import static io.stopsign.web.WebStack.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.StopSignConfig;
import io.stopsign.testing.TestDb;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records page and the CSV download over the real API, and every page at 1280 and 360 px
 * (screenshots under target/screenshots/, never a sideways scroll).
 */
@ExtendWith(VertxExtension.class)
class RecordsPageBrowserTest extends ChromiumPerClass {
  @TempDir Path dataDir;

  private static UUID insertNoStop(Pool pool, String camera, float entrySpeed, int minutesAgo)
      throws Exception {
    UUID id = UUID.randomUUID();
    OffsetDateTime exit = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(minutesAgo);
    await(
        pool.preparedQuery(
                "INSERT INTO passes (id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict,"
                    + " time_in_zone, stop_duration, min_speed, entry_speed, speed_unit, reason,"
                    + " trajectory) VALUES ($1, $2, $3, 9, $4, $5, 'none', 1.1, 0, 60, $6, 'px/s',"
                    + " 'went on, \"fast\"', '[]'::jsonb)")
            .execute(
                Tuple.tuple()
                    .addUUID(id)
                    .addString(camera)
                    .addUUID(UUID.randomUUID())
                    .addOffsetDateTime(exit)
                    .addOffsetDateTime(exit.minusSeconds(1))
                    .addFloat(entrySpeed)));
    return id;
  }

  @Test
  @DisplayName(
      "records list the fastest violators, longest stops and best days; the CSV link downloads the range, parsed back")
  void recordsAndCsv(Vertx vertx) throws Exception {
    String camera = "rec-" + UUID.randomUUID().toString().substring(0, 8);
    StopSignConfig config = PassPageBrowserTest.config(dataDir, camera);
    Pool pool = TestDb.get().pool(vertx, 2);
    UUID stop = PassPageBrowserTest.insertStop(pool, dataDir, camera, 30);
    UUID fast = insertNoStop(pool, camera, 180f, 20);
    UUID slow = insertNoStop(pool, camera, 90f, 10);
    WebStack stack = WebStack.startWithApi(vertx, config, pool);
    try {
      browser.width(1280);
      browser.open(stack.url("/records.html?camera=" + camera));
      browser.waitFor("document.body.dataset.ready === 'true'", Duration.ofSeconds(20));
      String fastest = (String) browser.js("return document.getElementById('fastest').innerText");
      assertThat(fastest.indexOf("180.0 px/s"))
          .isNotNegative()
          .isLessThan(fastest.indexOf("90.0 px/s"));
      assertThat(
              browser.js(
                  "return [...document.querySelectorAll('#fastest a')].map(a => a.getAttribute('href'))"))
          .isEqualTo(List.of("pass.html?id=" + fast, "pass.html?id=" + slow));
      assertThat((String) browser.js("return document.getElementById('longest').innerText"))
          .contains("stopped 2.5 s");
      assertThat((String) browser.js("return document.getElementById('best-days').innerText"))
          .containsAnyOf("33.3 %", "0.0 %", "100.0 %");

      @SuppressWarnings("unchecked")
      Map<String, Object> download =
          (Map<String, Object>)
              browser
                  .driver()
                  .executeAsyncScript(
                      "const done = arguments[arguments.length - 1];"
                          + "const a = document.getElementById('csv');"
                          + "fetch(a.href).then(async r => done({status: r.status,"
                          + " disposition: r.headers.get('content-disposition'),"
                          + " download: a.hasAttribute('download'), text: await r.text()}))"
                          + ".catch(e => done({error: String(e)}));");
      assertThat(download.get("status")).isEqualTo(200L);
      assertThat((Boolean) download.get("download")).isTrue();
      assertThat((String) download.get("disposition")).startsWith("attachment;");
      List<List<String>> rows = Csv.parse((String) download.get("text"));
      assertThat(rows.get(0)).startsWith("id", "camera", "run_id").contains("verdict", "reason");
      assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(0)))
          .containsExactly(slow.toString(), fast.toString(), stop.toString());
      assertThat(rows.get(1).get(12)).isEqualTo("went on, \"fast\"");
      assertThat(rows.get(3).get(6)).isEqualTo("full");

      for (String page : List.of("records", "analytics", "live")) {
        String path = page.equals("live") ? "/" : "/" + page + ".html";
        for (int width : new int[] {1280, 360}) {
          browser.width(width);
          browser.open(stack.url(path + "?camera=" + camera));
          browser.waitFor("document.readyState === 'complete'", Duration.ofSeconds(20));
          if (!page.equals("live")) {
            browser.waitFor(
                page.equals("records")
                    ? "document.body.dataset.ready === 'true'"
                    : "document.querySelectorAll('#passes tr').length === 3",
                Duration.ofSeconds(20));
          } else {
            browser.waitFor(
                "document.querySelectorAll('#passes li').length === 3", Duration.ofSeconds(20));
          }
          assertThat(browser.sidewaysOverflow()).as(page + " at " + width + " px").isEmpty();
          browser.screenshot(page);
        }
      }
    } finally {
      browser.width(1280);
      stack.close();
    }
  }
}
