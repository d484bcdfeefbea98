package io.stopsign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Browser;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.FrameTimes;
import io.stopsign.testing.RunningService;
import io.stopsign.testing.WebrtcCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The live page played over WebRTC against a real WebRTC endpoint on 127.0.0.1: webrtc_camera.py
 * (GStreamer webrtcbin behind WHEP, standing in for MediaMTX) serves the road clip both as the RTSP
 * source the service analyses and as WHEP ({@code mediamtx.webrtc_url}); the service serves HLS
 * itself as the fallback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebrtcPlaybackTest {
  private static final double FRAME_S = 1 / 30.0;

  private Path dataDir;
  private WebrtcCamera camera;
  private RunningService service;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("stopsign-webrtc");
    camera = WebrtcCamera.start(Fixtures.path("media/road-cars-720p30.mp4"));
    service =
        RunningService.configured(
            dataDir,
            """
            model: {path: %s, family: fastestdet}
            mediamtx: {webrtc_url: "%s"}
            cameras:
              - id: cam1
                source: %s
                stop_zone: [[80, 200], [640, 200], [640, 280], [80, 280]]
            """
                .formatted(
                    Fixtures.path("models/fastestdet.onnx"),
                    camera.webrtcBase(),
                    camera.rtspUrl()));
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (camera != null) {
      camera.close();
    }
  }

  private String page() {
    return service.url("/");
  }

  @Test
  @Order(1)
  @DisplayName(
      "the page plays WHEP from webrtcbin: frames decoded over WebRTC, a picture whose detections"
          + " have arrived drawn on its own time (error <= one frame interval for >= 95 % of them),"
          + " one whose have not with the nearest")
  void playsWebrtcWithAlignedOverlay() {
    try (Browser browser = Browser.start()) {
      browser.open(page());
      browser.waitFor("window.stopsign.player.mode === 'WebRTC'", Duration.ofSeconds(60));
      long decoded =
          ((Number)
                  browser.waitFor(
                      "(() => { window.stopsign.player.pc?.getStats().then(s => s.forEach(r => {"
                          + " if (r.type === 'inbound-rtp' && r.kind === 'video')"
                          + " window.__decoded = r.framesDecoded; }));"
                          + " return window.__decoded > 30 && window.__decoded; })()",
                      Duration.ofSeconds(30)))
              .longValue();
      assertThat(decoded).as("getStats framesDecoded").isGreaterThan(30);
      browser.waitFor("window.stopsign.state.drawnTs !== null", Duration.ofSeconds(30));
      browser.waitFor(
          "(() => { const c = document.getElementById('overlay'); const d = c.getContext('2d')"
              + ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
              + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n > 500; })()",
          Duration.ofSeconds(20));

      // the page holds the picture back until its detections have arrived
      browser.waitFor("window.stopsign.player.holdS > 0", Duration.ofSeconds(30));
      List<FrameTimes.Sample> samples = FrameTimes.recordBracketed(browser, "webrtc", 200);
      List<FrameTimes.Sample> own = samples.stream().filter(FrameTimes.Sample::own).toList();
      List<Double> aligned =
          FrameTimes.errors(own.stream().filter(FrameTimes.Sample::bracketed).toList());
      List<Double> errors = FrameTimes.errors(samples);
      System.out.printf(
          "WebRTC overlay alignment |drawn - capture| over %d presented pictures: %s, within one"
              + " frame interval (33.3 ms): %.1f %%; over the %d drawn with their detections on"
              + " both sides: %s, within: %.1f %%%nWebRTC video lag (shown - captured, held %.0f"
              + " ms for the metadata): %s%n",
          samples.size(),
          FrameTimes.distribution(errors),
          100 * FrameTimes.within(errors, FRAME_S),
          aligned.size(),
          FrameTimes.distribution(aligned),
          100 * FrameTimes.within(aligned, FRAME_S),
          1000 * ((Number) browser.js("return window.stopsign.player.holdS")).doubleValue(),
          FrameTimes.distribution(FrameTimes.lags(samples)));
      browser.screenshot("live-webrtc-1280");
      // how many pictures a slow analysis leaves without their detections is the machine's speed:
      // the rule is that those that have them are drawn with their own time
      assertThat(aligned)
          .as("pictures drawn with their detections on both sides")
          .hasSizeGreaterThanOrEqualTo(200);
      assertThat(FrameTimes.within(aligned, FRAME_S))
          .as("share of those whose boxes are within one frame interval of the picture")
          .isGreaterThanOrEqualTo(0.95);
      assertThat(own.stream().filter(s -> s.truth() != null && !s.bracketed()))
          .as("a picture whose detections have not arrived shows the nearest ones or none")
          .allSatisfy(s -> assertThat(s.drawn()).isIn(null, s.before(), s.after()));
      assertThat(browser.js("return document.getElementById('playback').textContent"))
          .isEqualTo("via WebRTC");
    }
  }

  @Test
  @Order(2)
  @DisplayName("when the WHEP endpoint fails the page says so and plays the service's own HLS")
  void fallsBackToHls() throws Exception {
    camera.failWhep();
    try (Browser browser = Browser.start()) {
      browser.open(page());
      browser.waitFor("window.stopsign.player.mode === 'hls.js'", Duration.ofSeconds(60));
      double started =
          ((Number)
                  browser.waitFor(
                      "document.getElementById('video').currentTime > 0.3"
                          + " && document.getElementById('video').currentTime",
                      Duration.ofSeconds(60)))
              .doubleValue();
      browser.waitFor(
          "document.getElementById('video').currentTime > " + (started + 2),
          Duration.ofSeconds(30));
      assertThat(browser.console()).contains("WHEP answered 503");
      browser.waitFor("window.stopsign.state.drawnTs !== null", Duration.ofSeconds(30));
    }
  }
}
