package io.stopsign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Browser;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.FrameTimes;
import io.stopsign.testing.RtspServer;
import io.stopsign.testing.RunningService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page on the service's own HLS, re-encode path (the road clip's keyframes are 8 s apart),
 * in Chromium: how far behind real time the picture is, how well the overlay lines up with it, and
 * what the page says while a clip restarts.
 */
class LiveHlsBrowserTest {
  private static final double FRAME_S = 1 / 30.0;
  private static final String CLIP = "media/road-cars-720p30.mp4";

  @TempDir Path dataDir;

  private RunningService start(String source, boolean loop) throws Exception {
    return RunningService.configured(
        dataDir,
        """
        model: {path: %s, family: fastestdet}
        cameras:
          - id: cam1
            source: %s
            loop: %s
            stop_zone: [[150, 390], [1280, 390], [1280, 560], [150, 560]]
        """
            .formatted(Fixtures.path("models/fastestdet.onnx"), source, loop));
  }

  private static double playing(Browser browser) {
    return ((Number)
            browser.waitFor(
                "window.stopsign.player.mode === 'hls.js'"
                    + " && document.getElementById('video').currentTime > 0.3"
                    + " && document.getElementById('video').currentTime",
                Duration.ofSeconds(90)))
        .doubleValue();
  }

  @Test
  @DisplayName(
      "a looped file over embedded HLS (re-encoded): the picture plays close to real time and"
          + " the overlay draws each picture's own metadata (<= one frame interval for >= 95 % of those whose metadata came)")
  void lagAndAlignment() throws Exception {
    try (RunningService service = start(Fixtures.path(CLIP).toString(), true);
        Browser browser = Browser.start()) {
      browser.open(service.url("/"));
      double started = playing(browser);
      // hls.js settles on the playlist's hold-back within a few segments
      browser.waitFor(
          "document.getElementById('video').currentTime > " + (started + 5),
          Duration.ofSeconds(30));
      List<FrameTimes.Sample> samples = FrameTimes.recordBracketed(browser, "hls", 200);
      List<FrameTimes.Sample> own = samples.stream().filter(FrameTimes.Sample::own).toList();
      List<Double> aligned =
          FrameTimes.errors(own.stream().filter(FrameTimes.Sample::bracketed).toList());
      List<Double> errors = FrameTimes.errors(samples);
      List<Double> lags = FrameTimes.lags(samples);
      System.out.printf(
          "HLS (embedded, re-encode path, 0.5 s segments) video lag, now - capture time of the"
              + " picture shown: %s (hls.js target latency %s s)%nHLS overlay alignment |drawn -"
              + " capture| over %d presented pictures: %s; within one frame interval (33.3 ms):"
              + " %.1f %%; over the %d drawn with their detections on both sides: %s, within:"
              + " %.1f %%; page shows \"%s\"%n",
          FrameTimes.distribution(lags),
          browser.js("return window.stopsign.player.hls.targetLatency"),
          samples.size(),
          FrameTimes.distribution(errors),
          100 * FrameTimes.within(errors, FRAME_S),
          aligned.size(),
          FrameTimes.distribution(aligned),
          100 * FrameTimes.within(aligned, FRAME_S),
          browser.js("return document.getElementById('lag').textContent"));
      browser.screenshot("live-hls-1280");
      assertThat(lags).as("pictures with a capture time").hasSizeGreaterThan(200);
      assertThat(FrameTimes.quantile(lags, 0.5)).as("median lag, s").isBetween(0.0, 8.0);
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
    }
  }

  @Test
  @DisplayName(
      "an RTSP clip that ends and restarts every 9 s: the video plays on through the restarts and"
          + " the page shows no 'not streaming' banner")
  void noBannerThroughRestarts() throws Exception {
    try (RtspServer rtsp = RtspServer.start(Fixtures.path(CLIP));
        RunningService service = start(rtsp.url(), false);
        Browser browser = Browser.start()) {
      String base = service.url("");
      browser.open(base + "/");
      double started = playing(browser);
      Set<String> runs = new LinkedHashSet<>();
      List<String> banners = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      // two restarts after the first session: the clip ended twice and came back twice
      while (runs.size() < 3 && System.nanoTime() < deadline) {
        runs.add(runId(base));
        Object banner =
            browser.js(
                "const s = document.getElementById('stage-status');"
                    + " return s.hidden ? null : s.textContent");
        if (banner != null) {
          banners.add((String) banner);
        }
        Thread.sleep(250);
      }
      assertThat(runs).as("decode sessions seen (the clip restarted)").hasSizeGreaterThan(2);
      // a later positive event: the video keeps advancing past the last restart
      double now =
          ((Number) browser.js("return document.getElementById('video').currentTime"))
              .doubleValue();
      browser.waitFor(
          "document.getElementById('video').currentTime > " + (now + 3), Duration.ofSeconds(20));
      System.out.printf(
          "through %d clip restarts the video played from %.1f s to %.1f s; banners: %s%n",
          runs.size() - 1, started, now, banners);
      assertThat(banners).as("banners shown while the clip restarted").isEmpty();
    }
  }

  private static String runId(String base) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/ready"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"run_id\"\\s*:\\s*\"([^\"]*)\"").matcher(r.body());
    return m.find() ? m.group(1) : "";
  }
}
