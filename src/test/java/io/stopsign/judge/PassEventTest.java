package io.stopsign.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.camera.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The pass event")
class PassEventTest {
  private static PassEvent pass() {
    return JudgeHarness.live(JudgeHarness.scene(), ScenarioTest.fullStop().samples())
        .of(1L)
        .get(0)
        .pass();
  }

  @Test
  @DisplayName("Its JSON has every field of the pass contract")
  void contractFields() {
    JsonObject json = pass().toJson();
    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder(
            "type",
            "id",
            "camera",
            "run_id",
            "track_id",
            "ts_utc",
            "entry_ts_utc",
            "verdict",
            "time_in_zone",
            "stop_duration",
            "min_speed",
            "entry_speed",
            "speed_unit",
            "reason",
            "trajectory",
            "snapshot",
            "snapshot_url");
    assertThat(json.getString("type")).isEqualTo("pass");
    assertThat(json.getString("camera")).isEqualTo("cam1");
    assertThat(json.getLong("track_id")).isEqualTo(1L);
    assertThat(json.getString("verdict")).isEqualTo("full");
    assertThat(json.getDouble("ts_utc")).isGreaterThan(json.getDouble("entry_ts_utc"));
    assertThat(json.getJsonArray("trajectory").getJsonArray(0)).hasSize(5);
    assertThat(json.getString("snapshot")).startsWith("snapshots/cam1/").endsWith(".jpg");
    assertThat(json.getString("snapshot_url"))
        .isEqualTo("/api/passes/" + json.getString("id") + "/snapshot");
    JsonObject none = pass().withoutSnapshot().toJson();
    assertThat(none.getValue("snapshot")).isNull();
    assertThat(none.getValue("snapshot_url")).isNull();
  }

  @Test
  @DisplayName(
      "Its id is derived from camera, run, track and entry time: the same pass, the same id")
  void derivedId() {
    PassEvent a = pass();
    PassEvent b = pass();
    assertThat(a.id()).isEqualTo(b.id());
    assertThat(a.id()).isEqualTo(PassEvent.passId("cam1", a.runId(), 1, a.entryTsUtc()));
    assertThat(PassEvent.passId("cam1", a.runId(), 2, a.entryTsUtc())).isNotEqualTo(a.id());
    assertThat(PassEvent.passId("cam1", "another-run", 1, a.entryTsUtc())).isNotEqualTo(a.id());
  }

  @Test
  @DisplayName("fromJson reads toJson back, across the wire as text")
  void roundTrip() {
    PassEvent a = pass();
    PassEvent back = PassEvent.fromJson(new JsonObject(a.toJson().encode()));
    assertThat(back).isEqualTo(a);
    assertThat(back.toJson()).isEqualTo(a.toJson());
  }

  @Test
  @DisplayName("fromJson names what is missing or wrong")
  void badJson() {
    JsonObject json = pass().toJson();
    assertThatThrownBy(() -> PassEvent.fromJson(json.copy().put("verdict", "stopped")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stopped");
    json.remove("camera");
    assertThatThrownBy(() -> PassEvent.fromJson(json)).hasMessageContaining("camera is missing");
    assertThatThrownBy(() -> Sample.fromJson(new JsonArray(List.of(1, 2, 3))))
        .hasMessageContaining("[t,x1,y1,x2,y2]");
  }
}
