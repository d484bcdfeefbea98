package io.stopsign.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.Addresses;
import io.stopsign.judge.TrackState;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The live page in headless Chromium against the real web verticle, HLS files and WebSocket. */
@ExtendWith(VertxExtension.class)
class LivePageBrowserTest extends ChromiumPerClass {
  /** The box the analyzer "sees", in raw camera pixels of the 1280x720 source. */
  private static final float[] BOX = {400, 250, 700, 450};

  @TempDir Path dataDir;

  @BeforeAll
  static void encodeSegments() throws Exception {
    LiveHls.segments(); // encode before the clock of any test starts
  }

  private static FrameMetadata metadata(long frame, double tsUtc) {
    TrackState car =
        new TrackState(42, "car", 0.9f, BOX[0], BOX[1], BOX[2], BOX[3], 8.5, 1.57, false, false);
    TrackState stopping =
        new TrackState(43, "truck", 0.8f, 900, 450, 1100, 650, 0.4, 1.57, false, true);
    TrackState fresh =
        new TrackState(44, "car", 0.7f, 500, 100, 600, 180, Double.NaN, 0, false, false);
    List<double[]> zone =
        List.of(
            new double[] {100, 500},
            new double[] {300, 500},
            new double[] {300, 700},
            new double[] {100, 700});
    return new FrameMetadata(
        "cam1",
        "run-1",
        frame,
        tsUtc,
        List.of(car, stopping, fresh),
        zone,
        1280,
        720,
        352,
        352,
        "px/s");
  }

  /**
   * A stand-in history API that lists cam1 with a WebRTC (WHEP) address that does not answer, so
   * the page has to fall back to HLS.
   */
  private static Future<Router> api(Vertx vertx) {
    Router api = Router.router(vertx);
    JsonObject cam1 =
        new JsonObject()
            .put("id", "cam1")
            .put("hls_url", "/hls/cam1/index.m3u8")
            .put("whep_url", "/whep/cam1/whep");
    api.get("/cameras").handler(ctx -> ctx.json(new JsonArray().add(cam1)));
    return Future.succeededFuture(api);
  }

  @Test
  @DisplayName(
      "the page plays the camera's HLS stream and draws the metadata published on the bus over it")
  void playsVideoAndDrawsBoxes(Vertx vertx) throws Exception {
    WebStack stack =
        WebStack.start(
            vertx,
            WebStack.config(dataDir, Map.of("cameras", "[{id: cam1, source: testpattern}]")),
            () -> api(vertx));
    stack.report("camera.cam1", Status::OK);
    long[] frame = {0};
    long publisher =
        vertx.setPeriodic(
            100,
            id ->
                vertx
                    .eventBus()
                    .publish(
                        Addresses.metadata("cam1"),
                        metadata(frame[0]++, System.currentTimeMillis() / 1000.0)));
    try (LiveHls hls = new LiveHls(dataDir.resolve("hls/cam1"))) {
      browser.open(stack.url("/"));
      double started =
          ((Number)
                  browser.waitFor(
                      "document.getElementById('video').currentTime > 0.3 && document.getElementById('video').currentTime",
                      Duration.ofSeconds(20)))
              .doubleValue();
      browser.waitFor(
          "document.getElementById('video').currentTime > " + (started + 1.0),
          Duration.ofSeconds(10));
      assertThat(browser.js("return window.stopsign.player.mode"))
          .as("WHEP failed, HLS took over")
          .isEqualTo("hls.js");
      assertThat(browser.js("return window.stopsign.state.videoUtc"))
          .as("video UTC from EXT-X-PROGRAM-DATE-TIME")
          .isNotNull();

      browser.waitFor("window.stopsign.state.lastDrawn >= 1", Duration.ofSeconds(20));
      assertThat(
              browser.js(
                  "return import('/js/overlay.js').then(m => [m.labelOf({cls: 'car', id: 44,"
                      + " speed: null}, 'px/s'), m.labelOf({cls: 'car', id: 42, speed: 8.5},"
                      + " 'px/s')]);"))
          .as("a track whose speed is not known yet (speed: null) shows a dash, not 0")
          .isEqualTo(List.of("car #44 · — px/s", "car #42 · 8.5 px/s"));
      @SuppressWarnings("unchecked")
      List<Number> rect =
          (List<Number>)
              browser.js(
                  "const v = document.getElementById('video');"
                      + "const s = Math.min(v.clientWidth / v.videoWidth, v.clientHeight / v.videoHeight);"
                      + "const k = v.videoWidth * s / 1280;"
                      + "return [(v.clientWidth - v.videoWidth * s) / 2, (v.clientHeight - v.videoHeight * s) / 2, k, v.videoWidth];");
      double ox = rect.get(0).doubleValue();
      double oy = rect.get(1).doubleValue();
      double k = rect.get(2).doubleValue();
      assertThat(rect.get(3).intValue())
          .as("the video is 640 px wide; boxes scale from raw 1280 px")
          .isEqualTo(LiveHls.WIDTH);
      double x = ox + BOX[0] * k;
      double y = oy + BOX[1] * k;
      double w = (BOX[2] - BOX[0]) * k;
      double h = (BOX[3] - BOX[1]) * k;
      long boxEdge =
          browser.canvasPixels("#overlay", x - 3, y + 20, 6, h - 20); // left edge, below the label
      long boxInside = browser.canvasPixels("#overlay", x + 10, y + 20, w - 20, h - 30);
      long empty = browser.canvasPixels("#overlay", ox + 900 * k, oy + 100 * k, 300 * k, 100 * k);
      assertThat(boxEdge).as("box outline drawn at the box's place").isGreaterThan((long) (h / 2));
      assertThat(boxInside).as("a moving car's box is not filled").isZero();
      long stoppingInside =
          browser.canvasPixels("#overlay", ox + 950 * k, oy + 500 * k, 100 * k, 100 * k);
      assertThat(stoppingInside)
          .as("a track in the zone is highlighted (filled)")
          .isGreaterThan(1000);
      long zone = browser.canvasPixels("#overlay", ox + 150 * k, oy + 550 * k, 100 * k, 100 * k);
      assertThat(zone).as("stop zone drawn").isGreaterThan(1000);
      assertThat(empty).as("nothing drawn where nothing is").isZero();
      assertThat(browser.js("return document.getElementById('stage-status').hidden"))
          .as(
              "no status over the video, found: %s",
              browser.js("return document.getElementById('stage-status').textContent"))
          .isEqualTo(true);

      JsonObject pass =
          new JsonObject()
              .put("type", "pass")
              .put("id", "9b1f4b7e-0000-0000-0000-000000000001")
              .put("camera", "cam1")
              .put("track_id", 43)
              .put("ts_utc", System.currentTimeMillis() / 1000.0)
              .put("verdict", "full")
              .put("time_in_zone", 2.4)
              .put("stop_duration", 1.3)
              .put("min_speed", 0.4)
              .put("speed_unit", "px/s")
              .putNull("snapshot_url");
      vertx.eventBus().publish(Addresses.PASSES_LIVE, pass);
      Object listed =
          browser.waitFor(
              "document.querySelector('#passes li') && document.querySelector('#passes li').innerText",
              Duration.ofSeconds(10));
      assertThat((String) listed)
          .contains("Full stop")
          .contains("in zone 2.4 s")
          .contains("stopped 1.3 s")
          .contains("min 0.4 px/s");

      // close to live: 1 s segments published as they end, like the embedded HLS writer does
      browser.waitFor(
          "document.getElementById('video').currentTime > " + (started + 6.0),
          Duration.ofSeconds(20));
      List<Double> lags = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        lags.add(
            ((Number) browser.waitFor("window.stopsign.state.videoLag", Duration.ofSeconds(5)))
                .doubleValue());
        Thread.sleep(400);
      }
      String shown = (String) browser.js("return document.getElementById('lag').textContent");
      System.out.printf(
          "live page video lag (wall clock - capture time of the picture on screen): %s; page"
              + " shows \"%s\"%n",
          lags, shown);
      assertThat(lags)
          .as("video lag behind real time, after playback settled")
          .allSatisfy(lag -> assertThat(lag).isBetween(0.5, 8.0));
      assertThat(shown).matches("video lag \\d+\\.\\d\\d s");
    } finally {
      vertx.cancelTimer(publisher);
      stack.close();
    }
  }

  @Test
  @DisplayName("with no camera configured the page says so plainly, with how to configure one")
  void noCameraConfigured(Vertx vertx) throws Exception {
    WebStack stack = WebStack.start(vertx, WebStack.config(dataDir, Map.of()), null);
    try {
      browser.open(stack.url("/"));
      browser.waitFor("!document.getElementById('notice').hidden", Duration.ofSeconds(10));
      assertThat(browser.js("return document.getElementById('notice-title').textContent"))
          .isEqualTo("No camera is configured");
      assertThat((String) browser.js("return document.getElementById('notice').innerText"))
          .contains("--source")
          .contains("cameras:");
    } finally {
      stack.close();
    }
  }

  @Test
  @DisplayName("a configured camera that is not streaming shows the reason from /ready")
  void cameraNotStreaming(Vertx vertx) throws Exception {
    WebStack stack =
        WebStack.start(
            vertx,
            WebStack.config(
                dataDir, Map.of("cameras", "[{id: cam1, source: rtsp://127.0.0.1:9/none}]")),
            null);
    stack.report(
        "camera.cam1",
        () ->
            Status.KO(
                new JsonObject().put("state", "reconnecting").put("reason", "connection refused")));
    try {
      browser.open(stack.url("/"));
      Object text =
          browser.waitFor(
              "document.getElementById('stage-status').textContent.includes('not streaming')"
                  + " && !document.getElementById('stage-status').hidden && document.getElementById('stage-status').textContent",
              Duration.ofSeconds(15));
      assertThat((String) text)
          .contains("cam1")
          .contains("not streaming")
          .contains("connection refused");
    } finally {
      stack.close();
    }
  }

  @Test
  @DisplayName("the analytics page says clearly when the history API is not available")
  void analyticsWithoutApi(Vertx vertx) throws Exception {
    WebStack stack = WebStack.start(vertx, WebStack.config(dataDir, Map.of()), null);
    try {
      browser.open(stack.url("/analytics.html"));
      Object message =
          browser.waitFor("document.getElementById('message').textContent", Duration.ofSeconds(10));
      assertThat((String) message).contains("history API is not available");
    } finally {
      stack.close();
    }
  }
}
