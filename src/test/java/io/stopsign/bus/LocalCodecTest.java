package io.stopsign.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.media.Frame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LocalCodecTest {
  @Test
  @DisplayName("a Frame cannot be written for another JVM: its codec refuses with a clear message")
  void framesNeverLeaveTheJvm() {
    MessageCodec<Frame, Frame> codec = new LocalCodec<>(Frame.class);
    assertThatThrownBy(() -> codec.encodeToWire(Buffer.buffer(), null))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageStartingWith("Frame is local to its JVM and never crosses the cluster");
  }

  @Test
  @DisplayName("a health report crosses the wire as JSON and comes back equal")
  void healthReportRoundTrip() {
    HealthReport report =
        new HealthReport(
            "camera.cam1", "10.0.0.5:5701", false, new JsonObject().put("reason", "x"), 12.5);
    JsonCodec<HealthReport> codec =
        new JsonCodec<>(HealthReport.class, HealthReport::toJson, HealthReport::fromJson);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, report);
    assertThat(codec.decodeFromWire(0, wire)).isEqualTo(report);
    assertThat(codec.transform(report)).as("in-JVM delivery copies nothing").isSameAs(report);
  }
}
