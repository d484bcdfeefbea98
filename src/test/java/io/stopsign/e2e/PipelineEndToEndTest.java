package io.stopsign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Browser;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.RtspServer;
import io.stopsign.testing.RunningService;
import io.stopsign.testing.TestDb;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The whole service in this JVM on real footage: a GStreamer RTSP server on 127.0.0.1 serves the
 * road clip, FFmpeg decodes it, YOLOX-nano detects the cars, ByteTrack tracks them, the judge
 * scores the passes through a stop zone across the road, Postgres stores it all, a WebSocket client
 * and headless Chromium watch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
  private static final String CAMERA = "e2e";

  private Path dataDir;
  private RtspServer rtsp;
  private RunningService service;
  private String runId;
  private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  private WebSocket socket;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("stopsign-e2e");
    rtsp = RtspServer.start(Fixtures.path("media/road-cars-720p30.mp4"));
    service =
        RunningService.configured(
            dataDir,
            """
            model: {path: %s, family: yolox, threads: 1}
            cameras:
              - id: %s
                source: %s
                # one view a frame: auto tiles quadruple YOLOX's time on this shared machine, and this
                # test counts frames per track, not far cars
                detect_regions: none
                # a band across both lanes; the cars drive down the image towards the camera
                stop_zone: [[150, 390], [1280, 390], [1280, 560], [150, 560]]
                pre_stop_line: [[150, 330], [1280, 330]]
                capture_line: [[150, 470], [1280, 470]]
            """
                .formatted(Fixtures.path("models/yolox-nano.onnx"), CAMERA, rtsp.url()));
    WebSocketClient client = service.service().vertx().createWebSocketClient();
    socket =
        client
            .connect(service.port(), "127.0.0.1", "/ws?camera=" + CAMERA)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (rtsp != null) {
      rtsp.close();
    }
  }

  private List<JsonObject> frames() {
    return messages.stream().filter(m -> !m.containsKey("type")).toList();
  }

  @Test
  @Order(1)
  @DisplayName("a WebSocket client receives seed-schema frames whose car tracks keep their ids")
  void tracksOverWebSocket() throws Exception {
    Map<Long, Integer> framesPerTrack = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      framesPerTrack.clear();
      for (JsonObject frame : frames()) {
        for (Object t : frame.getJsonArray("tracks")) {
          JsonObject track = (JsonObject) t;
          if ("car".equals(track.getString("cls"))) {
            framesPerTrack.merge(track.getLong("id"), 1, Integer::sum);
          }
        }
      }
      if (framesPerTrack.values().stream().filter(n -> n >= 15).count() >= 3) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(framesPerTrack.values().stream().filter(n -> n >= 15).count())
        .as("car tracks seen in at least 15 frames: %s", framesPerTrack)
        .isGreaterThanOrEqualTo(3);
    JsonObject frame =
        frames().stream()
            .filter(f -> !f.getJsonArray("tracks").isEmpty())
            .findFirst()
            .orElseThrow();
    assertThat(frame.fieldNames())
        .contains(
            "ts_utc",
            "frame",
            "camera",
            "tracks",
            "zones",
            "raw_dimensions",
            "scaled_dimensions",
            "speed_unit");
    assertThat(frame.getJsonObject("raw_dimensions").getInteger("w")).isEqualTo(1280);
    assertThat(frame.getJsonObject("zones").getJsonArray("stop")).hasSize(4);
    assertThat(frame.getString("speed_unit")).isEqualTo("px/s");
    assertThat(frame.getDouble("ts_utc"))
        .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0));
    JsonObject track = frame.getJsonArray("tracks").getJsonObject(0);
    assertThat(track.fieldNames())
        .contains("id", "bbox", "cls", "score", "speed", "direction", "is_parked", "in_zone");
    runId = frame.getString("run_id");
  }

  @Test
  @Order(2)
  @DisplayName("Postgres holds the detections and tracks of the run")
  void detectionsStored() throws Exception {
    long detections =
        pollCount("SELECT count(*) FROM detections WHERE camera = '" + CAMERA + "'", 50);
    assertThat(detections).isGreaterThanOrEqualTo(50);
    assertThat(
            pollCount(
                "SELECT count(*) FROM tracks WHERE camera = '" + CAMERA + "' AND frames >= 10", 3))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  @Order(3)
  @DisplayName(
      "cars driving through the zone make no-stop passes with snapshots, and no pass is a parking-length stay")
  void passesWithSnapshots() throws Exception {
    assertThat(
            pollCount(
                "SELECT count(*) FROM passes WHERE camera = '" + CAMERA + "' AND verdict = 'none'",
                3))
        .isGreaterThanOrEqualTo(3);
    try (Connection c = TestDb.jdbc();
        Statement s = c.createStatement()) {
      ResultSet rows =
          s.executeQuery(
              "SELECT verdict, time_in_zone, snapshot, jsonb_array_length(trajectory) FROM passes WHERE camera = '"
                  + CAMERA
                  + "'");
      int withSnapshot = 0;
      while (rows.next()) {
        assertThat(rows.getString(1)).isIn("none", "rolling", "rejected");
        assertThat(rows.getDouble(2)).isLessThan(60.0);
        assertThat(rows.getInt(4)).isGreaterThan(1);
        String snapshot = rows.getString(3);
        if (snapshot != null) {
          Path jpeg = dataDir.resolve(snapshot);
          assertThat(jpeg).exists();
          byte[] head = Files.readAllBytes(jpeg);
          assertThat(head[0] & 0xff).isEqualTo(0xFF);
          assertThat(head[1] & 0xff).isEqualTo(0xD8);
          withSnapshot++;
        }
      }
      assertThat(withSnapshot).isGreaterThanOrEqualTo(3);
    }
    List<JsonObject> live =
        messages.stream().filter(m -> "pass".equals(m.getString("type"))).toList();
    assertThat(live).isNotEmpty();
    assertThat(live.get(0).fieldNames())
        .contains(
            "id",
            "camera",
            "track_id",
            "ts_utc",
            "entry_ts_utc",
            "verdict",
            "time_in_zone",
            "stop_duration",
            "min_speed",
            "entry_speed");
  }

  @Test
  @Order(4)
  @DisplayName("headless Chromium plays the camera and draws the tracked boxes over it")
  void browserPlaysAndDraws() {
    try (Browser browser = Browser.start()) {
      browser.open(service.url("/?camera=" + CAMERA));
      double started =
          ((Number)
                  browser.waitFor(
                      "document.querySelector('video').currentTime > 0.3 && document.querySelector('video').currentTime",
                      Duration.ofSeconds(60)))
              .doubleValue();
      browser.waitFor(
          "document.querySelector('video').currentTime > " + (started + 1.0),
          Duration.ofSeconds(30));
      // boxes (and the zone) appear on the overlay canvas once metadata lines up with the video
      browser.waitFor(
          "(() => { const c = document.querySelector('canvas'); const d = c.getContext('2d')"
              + ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
              + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n > 500; })()",
          Duration.ofSeconds(30));
    }
  }

  private static long pollCount(String sql, long atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long count = 0;
    while (System.nanoTime() < deadline) {
      try (Connection c = TestDb.jdbc();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery(sql)) {
        r.next();
        count = r.getLong(1);
      }
      if (count >= atLeast) {
        return count;
      }
      Thread.sleep(500);
    }
    return count;
  }
}
