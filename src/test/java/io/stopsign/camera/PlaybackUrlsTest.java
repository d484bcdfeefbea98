package io.stopsign.camera;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlaybackUrlsTest {
  @Test
  @DisplayName("MediaMTX's base URL gives its HLS and, on port 8889, its WHEP endpoint")
  void mediamtx() {
    PlaybackUrls urls = PlaybackUrls.of("http://mediamtx:8888/", "");
    assertThat(urls.embeddedHls()).isFalse();
    assertThat(urls.hlsUrl("cam1")).isEqualTo("http://mediamtx:8888/cam1/index.m3u8");
    assertThat(urls.whepUrl("cam1")).isEqualTo("http://mediamtx:8889/cam1/whep");
    assertThat(urls.origins()).containsExactly("http://mediamtx:8888", "http://mediamtx:8889");
  }

  @Test
  @DisplayName("webrtc_url alone: WHEP from MediaMTX, HLS (the fallback) from the service")
  void webrtcAlone() {
    PlaybackUrls urls = PlaybackUrls.of("", " https://rtc.example.com:9443/live/ ");
    assertThat(urls.embeddedHls()).isTrue();
    assertThat(urls.hlsUrl("cam1")).isEqualTo("/hls/cam1/index.m3u8");
    assertThat(urls.whepUrl("cam1")).isEqualTo("https://rtc.example.com:9443/live/cam1/whep");
    assertThat(urls.origins()).containsExactly("https://rtc.example.com:9443");
  }

  @Test
  @DisplayName(
      "neither: the embedded HLS, no WHEP, no other origin; a base that is no URL adds none")
  void embedded() {
    assertThat(PlaybackUrls.of("", "").whepUrl("cam1")).isNull();
    assertThat(PlaybackUrls.of("", "").origins()).isEmpty();
    assertThat(PlaybackUrls.of("not a url", "").origins()).isEmpty();
    assertThat(PlaybackUrls.of("not a url", "").whepUrl("cam1")).isNull();
  }
}
