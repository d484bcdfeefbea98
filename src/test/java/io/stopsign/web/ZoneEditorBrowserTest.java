package io.stopsign.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.ZoneStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The zone editor in headless Chromium against the whole running service: mouse drags move the
 * zone's corners and the pre-stop line's end over the camera's picture, a concave drag is refused
 * on the page with the server's sentence, Save stores it, the camera's judge draws the new zone
 * into its next frames, and after a restart the editor and the judge still have it. Screenshots at
 * 1280 and 360 px under target/screenshots/.
 */
class ZoneEditorBrowserTest extends ChromiumPerClass {
  @TempDir Path dataDir;

  @Test
  @DisplayName(
      "drags save a zone the judge uses at once; refused shapes say why; a restart keeps it; 1280 and 360 px")
  void dragSaveRestart() throws Exception {
    String camera = "zed-" + UUID.randomUUID().toString().substring(0, 8);
    try (ZoneStack stack = ZoneStack.start(dataDir, camera, null)) {
      stack.waitForFrame(camera);
      openEditor(stack, camera);
      assertThat(String.valueOf(frameSize())).isEqualTo("[320, 240]");

      drag(200, 40, 260, 60);
      drag(200, 160, 260, 150);
      drag(200, 200, 260, 210); // the pre-stop line's right end
      // a corner pulled inwards: refused here, before any request, in the server's words
      drag(40, 160, 200, 90);
      browser.waitFor("window.zoneEditor.problems().length > 0", Duration.ofSeconds(5));
      assertThat(text("problems")).contains("stop_zone must be convex");
      assertThat(browser.driver().findElement(By.id("save")).isEnabled()).isFalse();
      drag(200, 90, 40, 160);
      browser.waitFor("window.zoneEditor.problems().length === 0", Duration.ofSeconds(5));
      browser.screenshot("zone");

      browser.driver().findElement(By.id("save")).click();
      browser.waitFor("document.body.dataset.saved === '1'", Duration.ofSeconds(30));
      assertThat(text("status")).contains("the judge uses it now");

      JsonObject listed = stack.camera(camera);
      assertThat(listed.getString("geometry_source")).isEqualTo("editor");
      JsonArray zone = listed.getJsonArray("stop_zone");
      assertNear(
          zone,
          List.of(
              new int[] {40, 40}, new int[] {260, 60}, new int[] {260, 150}, new int[] {40, 160}));
      assertNear(
          listed.getJsonArray("pre_stop_line"), List.of(new int[] {40, 200}, new int[] {260, 210}));
      // the next frames are judged with it: the judge's own zone, as it sends it on /ws
      stack.awaitJudgeZone(camera, zone);

      browser.width(360);
      openEditor(stack, camera);
      assertThat(browser.sidewaysOverflow()).as("no horizontal scroll at 360 px").isEmpty();
      browser.screenshot("zone");
      browser.width(1280);

      stack.restart();
      stack.waitForFrame(camera);
      openEditor(stack, camera);
      assertThat(text("source")).contains("saved geometry, version 1");
      Object shown = browser.js("return JSON.stringify(window.zoneEditor.geometry().stop_zone);");
      assertThat(new JsonArray(String.valueOf(shown))).isEqualTo(zone);
      stack.awaitJudgeZone(camera, zone);
    }
  }

  private static void openEditor(ZoneStack stack, String camera) {
    browser.open(stack.base() + "/zone.html?camera=" + camera);
    browser.waitFor("document.body.dataset.ready === 'true'", Duration.ofSeconds(60));
  }

  private static List<?> frameSize() {
    return (List<?>) browser.js("return window.zoneEditor.frame();");
  }

  private static String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  /** Presses the mouse on the frame point (fx, fy) and releases it over (tx, ty). */
  private static void drag(double fx, double fy, double tx, double ty) {
    WebElement canvas = browser.driver().findElement(By.id("editor"));
    browser.js("arguments[0].scrollIntoView({block: 'center'});", canvas);
    List<?> box =
        (List<?>)
            browser.js(
                "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];",
                canvas);
    double w = ((Number) box.get(0)).doubleValue();
    double h = ((Number) box.get(1)).doubleValue();
    double k = w / ZoneStack.WIDTH;
    int ox = (int) Math.round(fx * k - w / 2);
    int oy = (int) Math.round(fy * k - h / 2);
    int dx = (int) Math.round((tx - fx) * k);
    int dy = (int) Math.round((ty - fy) * k);
    new Actions(browser.driver())
        .moveToElement(canvas, ox, oy)
        .clickAndHold()
        .moveByOffset(dx / 2, dy / 2)
        .moveByOffset(dx - dx / 2, dy - dy / 2)
        .release()
        .perform();
  }

  /** Each point within 2 px of the intended one (mouse moves are whole CSS pixels). */
  private static void assertNear(JsonArray actual, List<int[]> expected) {
    assertThat(actual).as(actual.encode()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonArray p = actual.getJsonArray(i);
      assertThat(p.getDouble(0)).as(actual.encode()).isCloseTo(expected.get(i)[0], within());
      assertThat(p.getDouble(1)).as(actual.encode()).isCloseTo(expected.get(i)[1], within());
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(2.0);
  }
}
