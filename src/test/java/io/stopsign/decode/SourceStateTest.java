package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SourceStateTest {

  @Test
  @DisplayName(
      "the readiness data shows a camera source as /api/cameras does: no password, path or query")
  void readinessRedactsSources() {
    String source = SourceSpec.redact("rtsp://viewer:s3cret@cam.example.com:8554/live/1?token=abc");
    SourceState state = new SourceState(source, 5_000_000_000L);
    state.set(
        SourceState.State.RECONNECTING,
        "cannot open " + source + ": Connection refused; also tried http://10.0.0.7/x?key=1");
    JsonObject data = state.status().getData();
    assertThat(data.getString("source")).isEqualTo("rtsp://cam.example.com");
    assertThat(data.getString("reason"))
        .isEqualTo(
            "cannot open rtsp://cam.example.com: Connection refused; also tried http://10.0.0.7");
    assertThat(data.encode()).doesNotContain("s3cret", "token", "/live", "8554", "key=1");

    SourceState file = new SourceState("/srv/secret/clips/north.mp4", 5_000_000_000L);
    file.set(SourceState.State.ENDED, "/srv/secret/clips/north.mp4: No such file or directory");
    assertThat(file.status().getData().getString("source")).isEqualTo("file");
    assertThat(file.status().getData().getString("reason"))
        .isEqualTo("file: No such file or directory");
  }
}
