package io.stopsign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.clips.Mp4Probe;
import io.stopsign.testing.Browser;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Replay clips on real footage through the whole service: the road clip played in real time is
 * decoded, detected (YOLOX-nano), tracked and judged; each pass gets an MP4 cut from the recorded
 * video, served by the API, which FFmpeg probes and headless Chromium plays on the pass page with
 * the stored boxes drawn over it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PassClipEndToEndTest {
  private static final String CAMERA = "clipcam";

  private Path dataDir;
  private RunningService service;
  private final HttpClient http = HttpClient.newHttpClient();
  private JsonObject pass;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("stopsign-clips");
    service =
        RunningService.configured(
            dataDir,
            """
            model: {path: %s, family: yolox, threads: 1}
            clips: {pre_seconds: 1.0, post_seconds: 1.0}
            cameras:
              - id: %s
                source: %s
                loop: true
                stop_zone: [[150, 390], [1280, 390], [1280, 560], [150, 560]]
                pre_stop_line: [[150, 330], [1280, 330]]
                capture_line: [[150, 470], [1280, 470]]
            """
                .formatted(
                    Fixtures.path("models/yolox-nano.onnx"),
                    CAMERA,
                    Fixtures.path("media/road-cars-720p30.mp4")));
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(service.url(path)))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonObject json(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
    return new JsonObject(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  @DisplayName(
      "a pass of a car on the road gets a clip: an H.264 MP4 that FFmpeg decodes, covering the pass from before its entry to after its exit")
  void passGetsClip() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    while (pass == null && System.nanoTime() < deadline) {
      JsonArray items = json("/api/passes?camera=" + CAMERA).getJsonArray("items");
      for (int i = 0; i < items.size() && pass == null; i++) {
        JsonObject full = json("/api/passes/" + items.getJsonObject(i).getString("id"));
        if (full.getJsonObject("clip") != null) {
          pass = full;
        }
      }
      if (pass == null) {
        Thread.sleep(1000);
      }
    }
    assertThat(pass).as("a pass with a clip within 150 s").isNotNull();
    JsonObject clip = pass.getJsonObject("clip");
    double entry = pass.getDouble("entry_ts_utc");
    double exit = pass.getDouble("ts_utc");
    double start = clip.getDouble("start_utc");
    double end = clip.getDouble("end_utc");
    assertThat(start).as("clip starts before the entry").isLessThanOrEqualTo(entry);
    assertThat(end).as("clip ends after the exit").isGreaterThanOrEqualTo(exit);
    assertThat(clip.getInteger("source_width")).isEqualTo(1280);

    HttpResponse<byte[]> served = get(clip.getString("url"));
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("content-type")).hasValue("video/mp4");
    Path mp4 = dataDir.resolve("downloaded.mp4");
    Files.write(mp4, served.body());
    Mp4Probe probe = Mp4Probe.of(mp4);
    System.out.printf(
        "clip of pass %s: %.2f s pass (%.2f s in zone), %.2f s clip, %s %dx%d, %d frames, %d bytes%n",
        pass.getString("id"),
        exit - entry,
        pass.getDouble("time_in_zone"),
        probe.seconds(),
        probe.codec(),
        probe.width(),
        probe.height(),
        probe.frames(),
        served.body().length);
    assertThat(probe.format()).contains("mp4");
    assertThat(probe.codec()).isEqualTo("h264");
    assertThat(probe.errors()).isZero();
    // the video holds what decode delivered: on a loaded machine it skips frames to keep up with
    // real time, so the clip covers the pass in capture time (above) with fewer seconds of video
    assertThat(probe.seconds()).isCloseTo(clip.getDouble("duration"), within(0.15));
    assertThat(probe.frames()).isGreaterThanOrEqualTo(2);

    assertThat(get("/api/passes/" + UUID.randomUUID() + "/clip").statusCode()).isEqualTo(404);
  }

  private static org.assertj.core.data.Offset<Double> within(double v) {
    return org.assertj.core.data.Offset.offset(v);
  }

  @Test
  @Order(2)
  @DisplayName(
      "the pass page plays the clip (time advances, frames decoded) and draws the stored box of the pass over it, at 1280 and 360 px")
  void pageDrawsBoxesOverClip() {
    assertThat(pass).as("a pass with a clip (previous test)").isNotNull();
    try (Browser browser = Browser.start()) {
      browser.width(1280);
      browser.open(service.url("/pass.html?id=" + pass.getString("id")));
      browser.waitFor("document.body.dataset.ready === 'true'", Duration.ofSeconds(30));
      browser.waitFor("document.getElementById('clip').readyState >= 2", Duration.ofSeconds(30));
      double t0 =
          ((Number)
                  browser.waitFor(
                      "document.getElementById('clip').currentTime > 0.2"
                          + " && document.getElementById('clip').currentTime",
                      Duration.ofSeconds(30)))
              .doubleValue();
      browser.waitFor(
          "(() => { const v = document.getElementById('clip');"
              + " return v.currentTime > "
              + (t0 + 0.5)
              + " || v.currentTime < "
              + t0
              + "; })()",
          Duration.ofSeconds(30));
      assertThat(
              ((Number) browser.js("return document.getElementById('clip').videoWidth")).intValue())
          .isPositive();
      checkBoxDrawn(browser);
      browser.screenshot("pass-clip");
      browser.width(360);
      browser.js("window.dispatchEvent(new Event('resize'));");
      assertThat(browser.sidewaysOverflow()).as("no horizontal scroll at 360 px").isEmpty();
      checkBoxDrawn(browser);
      browser.screenshot("pass-clip");
    }
  }

  /**
   * Plays on until a box is drawn from a sample near the shown frame, pauses there (the canvas then
   * stays as drawn) and finds the box's pixels on the canvas.
   */
  private static void checkBoxDrawn(Browser browser) {
    browser.js("document.getElementById('clip').play();");
    String box =
        (String)
            browser.waitFor(
                "(() => { const c = document.getElementById('clip-overlay');"
                    + " if (!c.dataset.box) return null;"
                    + " document.getElementById('clip').pause(); return c.dataset.box; })()",
                Duration.ofSeconds(30));
    double gap =
        Double.parseDouble(
            (String) browser.js("return document.getElementById('clip-overlay').dataset.gap"));
    assertThat(gap).as("sample to frame time").isLessThanOrEqualTo(0.25);
    String[] v = box.split(",");
    double x1 = Double.parseDouble(v[0]);
    double y1 = Double.parseDouble(v[1]);
    double x2 = Double.parseDouble(v[2]);
    assertThat(x2).isGreaterThan(x1);
    // the box's top edge, a band 4 px high across its middle
    long pixels =
        browser.canvasPixels("#clip-overlay", x1 + (x2 - x1) / 4, y1 - 2, (x2 - x1) / 2, 4);
    assertThat(pixels).as("box %s drawn on the overlay canvas", box).isPositive();
    // and nothing drawn in the top-left corner, far from the zone and the road
    assertThat(browser.canvasPixels("#clip-overlay", 0, 0, 20, 20)).isZero();
  }
}
