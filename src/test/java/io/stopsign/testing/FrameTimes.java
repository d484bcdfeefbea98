package io.stopsign.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records, for each picture the live page presents, its capture time as the transport states it
 * (WebRTC: the sender's RTP clock from webrtc_camera.py; HLS: EXT-X-PROGRAM-DATE-TIME plus the
 * picture's offset from its fragment's first PTS), the time the overlay's boxes stand for in that
 * same rendering step ({@code stopsign.state.drawnTs}), how far behind real time it is shown, and
 * the metadata the page held on either side of the picture then.
 */
public final class FrameTimes {
  private static final String RECORD =
      """
      const mode = arguments[0], done = arguments[arguments.length - 1];
      const v = document.getElementById('video'), p = window.stopsign.player;
      window.__frames = [];
      const truthOf = (clock, meta) => {
        if (mode === 'webrtc') return clock.utc_at_rtp_zero + meta.rtpTimestamp / 90000;
        const level = p.hls.levels[p.hls.currentLevel >= 0 ? p.hls.currentLevel : 0];
        const frag = (level.details?.fragments ?? []).filter(
            f => Number.isFinite(f.startPTS) && f.startPTS <= meta.mediaTime + 0.001).pop();
        return frag && Number.isFinite(frag.programDateTime)
            ? frag.programDateTime / 1000 + (meta.mediaTime - frag.startPTS) : null;
      };
      const start = (clock) => {
        const onFrame = (now, meta) => {
          const truth = truthOf(clock, meta);
          const shown = (performance.timeOrigin + meta.expectedDisplayTime) / 1000;
          // after the page's own frame callbacks of this rendering step: what it drew now, for
          // which picture, and the metadata it held around this picture's capture time
          requestAnimationFrame(() => {
            const own = mode === 'webrtc' ? p.presented?.rtpTimestamp === meta.rtpTimestamp
                : p.presented?.mediaTime === meta.mediaTime;
            const b = truth === null ? {} : window.stopsign.buffer.bracket(truth);
            window.__frames.push({truth, drawn: window.stopsign.state.drawnTs,
                lag: truth === null ? null : shown - truth, own,
                before: b.before?.ts_utc ?? null, after: b.after?.ts_utc ?? null});
          });
          v.requestVideoFrameCallback(onFrame);
        };
        v.requestVideoFrameCallback(onFrame);
        done('recording');
      };
      if (mode === 'webrtc') {
        fetch(new URL(p.whepResource, new URL(p.camera.whep_url, location.href)))
            .then(r => r.json()).then(start).catch(e => done('error ' + e));
      } else {
        start(null);
      }
      """;

  // overlay.js STALE_S: the page interpolates only between messages at most this far apart
  private static final double INTERPOLATED_GAP_S = 1.0;

  /**
   * One presented picture: {@code own} when the page drew for this picture in that rendering step,
   * {@code before} and {@code after} the capture times of the metadata it held around it.
   */
  public record Sample(
      Double truth, Double drawn, Double lag, boolean own, Double before, Double after) {

    /** The picture's own metadata had arrived on both sides of it: the page draws its time. */
    public boolean bracketed() {
      return before != null && after != null && after - before <= INTERPOLATED_GAP_S;
    }
  }

  private FrameTimes() {}

  /**
   * Records presented pictures until {@code bracketed} of them were drawn in their own rendering
   * step with their metadata on both sides (however many pictures a slow analysis takes to give
   * that), then returns them all.
   */
  public static List<Sample> recordBracketed(Browser browser, String mode, int bracketed) {
    start(browser, mode);
    browser.waitFor(
        "window.__frames.filter(f => f.own && f.before !== null && f.after !== null"
            + " && f.after - f.before <= "
            + INTERPOLATED_GAP_S
            + ").length >= "
            + bracketed,
        Duration.ofSeconds(bracketed / 5 + 120));
    return samples(browser, Integer.MAX_VALUE);
  }

  private static void start(Browser browser, String mode) {
    Object started = browser.driver().executeAsyncScript(RECORD, mode);
    if (!"recording".equals(started)) {
      throw new IllegalStateException("cannot record frame times: " + started);
    }
  }

  private static List<Sample> samples(Browser browser, int frames) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> raw =
        (List<Map<String, Object>>) browser.js("return window.__frames.slice(0, " + frames + ")");
    List<Sample> out = new ArrayList<>();
    for (Map<String, Object> m : raw) {
      out.add(
          new Sample(
              number(m.get("truth")),
              number(m.get("drawn")),
              number(m.get("lag")),
              Boolean.TRUE.equals(m.get("own")),
              number(m.get("before")),
              number(m.get("after"))));
    }
    return out;
  }

  private static Double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }

  /** Alignment errors in seconds (|drawn - truth|) of the pictures with both times. */
  public static List<Double> errors(List<Sample> samples) {
    return samples.stream()
        .filter(s -> s.truth() != null && s.drawn() != null)
        .map(s -> Math.abs(s.drawn() - s.truth()))
        .sorted()
        .toList();
  }

  public static List<Double> lags(List<Sample> samples) {
    return samples.stream().map(Sample::lag).filter(l -> l != null).sorted().toList();
  }

  /** "p50 a ms, p95 b ms, max c ms" of sorted seconds. */
  public static String distribution(List<Double> sorted) {
    if (sorted.isEmpty()) {
      return "no samples";
    }
    return String.format(
        Locale.ROOT,
        "p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)",
        quantile(sorted, 0.5) * 1000,
        quantile(sorted, 0.95) * 1000,
        sorted.get(sorted.size() - 1) * 1000,
        sorted.size());
  }

  public static double quantile(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
  }

  /** The share of values at or below {@code limit}. */
  public static double within(List<Double> sorted, double limit) {
    return sorted.isEmpty()
        ? 0
        : sorted.stream().filter(e -> e <= limit).count() / (double) sorted.size();
  }
}
