package io.stopsign.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Browser;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page's banner logic (js/stream-banner.js, served by the web verticle) in Chromium, fed
 * the observations of a looped file restarting and of a camera that stays down, on its own clock.
 */
@ExtendWith(VertxExtension.class)
class StreamBannerBrowserTest {
  @TempDir Path dataDir;

  /** Runs the observations through one StreamBanner; returns the banner text (or "") of each. */
  @SuppressWarnings("unchecked")
  private static List<String> banners(Browser browser, String observations) {
    return (List<String>)
        browser
            .driver()
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import('/js/stream-banner.js').then(({ StreamBanner }) => {"
                    + "  const b = new StreamBanner('cam1');"
                    + "  done("
                    + observations
                    + ".map(o => b.update(o)?.text ?? ''));"
                    + "}).catch(e => done(['error ' + e]));");
  }

  @Test
  @DisplayName(
      "a looped file restarting (metadata gone 3 s, /ready says end of stream, video playing) shows no banner; a camera down past the grace does, and it goes when frames are back")
  void graceThroughLoopRestarts(Vertx vertx) throws Exception {
    WebStack stack = WebStack.start(vertx, WebStack.config(dataDir, Map.of()), null);
    try (Browser browser = Browser.start()) {
      browser.open(stack.url("/"));
      String down = "{status: 'DOWN', data: {state: 'ended', reason: 'end of stream'}}";
      List<String> restart =
          banners(
              browser,
              "[0, 1000, 2000, 3000, 4000, 5000].map((t, i) => ({now: t, playing: true,"
                  + " metadata: i === 0 || i >= 4, check: i === 0 || i >= 4 ? null : "
                  + down
                  + "}))");
      assertThat(restart).as("a 3 s restart of a looped file").containsOnly("");

      List<String> stuck =
          banners(
              browser,
              "[0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000].map(t => ({now: t,"
                  + " playing: t < 6000 || t > 7000, metadata: t > 7000,"
                  + " check: t > 7000 ? null : "
                  + down
                  + "}))");
      assertThat(stuck.subList(0, 5)).as("within the grace").containsOnly("");
      assertThat(stuck.get(5))
          .as("still playing what was buffered at 5 s")
          .isEqualTo(
              "Camera cam1 sends no new frames (end of stream); the video plays what was"
                  + " buffered.");
      assertThat(stuck.get(6)).isEqualTo("Camera cam1 is not streaming: end of stream.");
      assertThat(stuck.get(8)).as("frames and metadata back").isEmpty();
    } finally {
      stack.close();
    }
  }
}
