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
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The pass detail page over the real API and test Postgres, at desktop and phone widths. */
@ExtendWith(VertxExtension.class)
class PassPageBrowserTest extends ChromiumPerClass {
  static final String ZONE = "[[500, 400], [800, 400], [800, 600], [500, 600]]";
  @TempDir Path dataDir;

  static StopSignConfig config(Path dataDir, String camera) {
    return WebStack.config(
        dataDir,
        Map.of(
            "cameras",
            "[{id: "
                + camera
                + ", source: testpattern, stop_zone: "
                + ZONE
                + ", pre_stop_line: [[500, 350], [800, 350]],"
                + " capture_line: [[500, 500], [800, 500]]}]"));
  }

  /**
   * A car driving down through the zone at 100 px/s, stopped 2.5 s inside it: [t, x1, y1, x2, y2]
   * at 10 fps, the box's bottom centre on x = 650.
   */
  static JsonArray stoppingCar(double t0) {
    JsonArray samples = new JsonArray();
    for (int i = 0; i < 70; i++) {
      double s = i / 10.0;
      double y = s < 2 ? 250 + 100 * s : s < 4.5 ? 450 : 450 + 100 * (s - 4.5);
      samples.add(new JsonArray().add(t0 + s).add(590.0).add(y - 80).add(710.0).add(y));
    }
    return samples;
  }

  /** Inserts a full stop of {@code camera} {@code minutesAgo} with a 1280x720 snapshot. */
  static UUID insertStop(Pool pool, Path dataDir, String camera, int minutesAgo) throws Exception {
    UUID id = UUID.randomUUID();
    Path snapshot = dataDir.resolve("snapshots").resolve(id + ".jpg");
    Files.createDirectories(snapshot.getParent());
    BufferedImage image = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(60, 70, 80));
    g.fillRect(0, 0, 1280, 720);
    g.setColor(new Color(200, 200, 210));
    g.fillRect(590, 370, 120, 80);
    g.dispose();
    ImageIO.write(image, "jpg", snapshot.toFile());
    OffsetDateTime exit = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(minutesAgo);
    double t0 = exit.toEpochSecond() - 7.0;
    await(
        pool.preparedQuery(
                "INSERT INTO passes (id, camera, run_id, track_id, ts_utc, entry_ts_utc, verdict,"
                    + " time_in_zone, stop_duration, min_speed, entry_speed, speed_unit, trajectory,"
                    + " snapshot) VALUES ($1, $2, $3, 7, $4, $5, 'full', 5.3, 2.5, 0.4, 100.0,"
                    + " 'px/s', $6, $7)")
            .execute(
                Tuple.tuple()
                    .addUUID(id)
                    .addString(camera)
                    .addUUID(UUID.randomUUID())
                    .addOffsetDateTime(exit)
                    .addOffsetDateTime(exit.minusNanos(5_300_000_000L))
                    .addValue(stoppingCar(t0))
                    .addString(dataDir.relativize(snapshot).toString())));
    return id;
  }

  @Test
  @DisplayName(
      "the pass page draws the trajectory and zone over the snapshot, charts the speed with the stop speed, shows the numbers and re-scores; linked from the analytics list")
  void passDetail(Vertx vertx) throws Exception {
    String camera = "pass-" + UUID.randomUUID().toString().substring(0, 8);
    StopSignConfig config = config(dataDir, camera);
    Pool pool = TestDb.get().pool(vertx, 2);
    UUID id = insertStop(pool, dataDir, camera, 5);
    WebStack stack = WebStack.startWithApi(vertx, config, pool);
    try {
      browser.width(1280);
      browser.open(stack.url("/analytics.html?camera=" + camera));
      browser.waitFor("document.querySelector('#passes tr a[href^=\"pass.html\"]')", patience());
      browser.js("document.querySelector('#passes tr a[href^=\"pass.html\"]').click();");
      browser.waitFor("document.body.dataset.ready === 'true'", patience());
      assertThat((String) browser.js("return location.search")).isEqualTo("?id=" + id);
      browser.waitFor("document.getElementById('snapshot').naturalWidth === 1280", patience());
      browser.waitFor("!document.getElementById('snapshot').hidden", patience());

      // the canvas is scaled to the 1280x720 snapshot: the zone, the path and an empty corner
      double scale =
          ((Number) browser.js("return document.getElementById('trajectory').clientWidth / 1280"))
              .doubleValue();
      assertThat(
              browser.canvasPixels("#trajectory", 520 * scale, 420 * scale, 40 * scale, 40 * scale))
          .as("inside the stop zone (filled)")
          .isPositive();
      assertThat(
              browser.canvasPixels("#trajectory", 645 * scale, 300 * scale, 10 * scale, 20 * scale))
          .as("on the path above the zone")
          .isPositive();
      assertThat(
              browser.canvasPixels("#trajectory", 50 * scale, 50 * scale, 200 * scale, 200 * scale))
          .as("far from the zone and the path")
          .isZero();

      String numbers = (String) browser.js("return document.getElementById('numbers').innerText");
      assertThat(numbers)
          .contains("Full stop")
          .contains("5.3 s")
          .contains("2.5 s")
          .contains("0.4 px/s")
          .contains("100.0 px/s")
          .contains("full ≥ 2 s")
          .contains("stopped < 12 px/s")
          .contains("70");
      assertThat(browser.js("return document.querySelectorAll('#speed-chart canvas').length"))
          .as("uPlot speed chart")
          .isEqualTo(1L);
      assertThat((String) browser.js("return document.querySelector('#speed-chart').innerText"))
          .contains("stop speed")
          .contains("speed (px/s)");

      // a what-if: a 3 s minimum stop turns this 2.5 s stop into a rolling stop
      browser.js(
          "const f = document.getElementById('rescore'); f.elements.full_min_stop_duration.value = '3';"
              + " f.requestSubmit();");
      Object result =
          browser.waitFor(
              "document.getElementById('rescore-result').innerText.includes('thresholds')"
                  + " && document.getElementById('rescore-result').innerText",
              patience());
      assertThat((String) result).contains("Rolling stop").contains("was full");

      browser.screenshot("pass");
      browser.width(360);
      browser.js("window.dispatchEvent(new Event('resize'));");
      assertThat(browser.sidewaysOverflow()).as("no horizontal scroll at 360 px").isEmpty();
      browser.screenshot("pass");
    } finally {
      browser.width(1280);
      stack.close();
    }
  }

  @Test
  @DisplayName("an unknown pass id says so on the page instead of drawing nothing")
  void unknownPass(Vertx vertx) throws Exception {
    StopSignConfig config = config(dataDir, "cam1");
    WebStack stack = WebStack.startWithApi(vertx, config, TestDb.get().pool(vertx, 1));
    try {
      browser.open(stack.url("/pass.html?id=" + UUID.randomUUID()));
      browser.waitFor("document.body.dataset.ready === 'error'", patience());
      assertThat((String) browser.js("return document.getElementById('message').textContent"))
          .contains("No pass has the id");
    } finally {
      stack.close();
    }
  }

  static Duration patience() {
    return Duration.ofSeconds(20);
  }
}
