package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.HealthReport;
import io.stopsign.camera.CameraConfig;
import io.stopsign.codec.Codecs;
import io.stopsign.common.Backoff;
import io.stopsign.config.ConfigReader;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.ops.Meters;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.HealthReports;
import io.stopsign.testing.RtspServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The decode verticle over the real bus, with real FFmpeg, files and an RTSP server. */
@ExtendWith(VertxExtension.class)
class DecodeVerticleTest {
  private static final InputGeometry GEOMETRY = new InputGeometry(320, 320, true);
  private static final Backoff FAST =
      new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMinutes(1));

  private static final String DRAINED = "drained";

  @TempDir Path dataDir;

  private Vertx vertx;
  private final Set<String> markers = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    Codecs.register(vertx.eventBus());
  }

  static CameraConfig camera(String id, String source, boolean loop) {
    return CameraConfig.from(
        ConfigReader.of("cameras[0]", Map.of("id", id, "source", source, "loop", loop)));
  }

  private DecodeVerticle verticle(CameraConfig camera) {
    return new DecodeVerticle(camera, GEOMETRY, dataDir, false, "test").backoff(FAST);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void waitFor(BooleanSupplier condition, Duration limit, String what)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private HealthReport check(String camera) {
    return HealthReports.next(vertx, "camera." + camera);
  }

  private static double counter(String name, String camera) {
    Counter c = Meters.registry().find(name).tag("camera", camera).counter();
    return c == null ? 0 : c.count();
  }

  private List<Frame> collectFrames(Vertx vertx, String camera) {
    List<Frame> frames = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<Object>localConsumer(
            Addresses.frames(camera),
            m -> {
              if (m.body() instanceof Frame frame) {
                frames.add(frame);
                frame.release();
              } else if (DRAINED.equals(m.body())) {
                markers.add(camera);
              }
            });
    return frames;
  }

  @Test
  @DisplayName("A file camera sends scaled frames of one run to its frames address and is ready")
  void fileCamera(Vertx vertx) throws Exception {
    List<Frame> frames = collectFrames(vertx, "filecam");
    String id =
        await(
            vertx.deployVerticle(
                verticle(
                    camera("filecam", Fixtures.path(FrameSourceTest.CLIP).toString(), false))));
    waitFor(() -> frames.size() >= 10, Duration.ofSeconds(20), "10 frames");
    Frame f = frames.get(0);
    assertThat(f.camera()).isEqualTo("filecam");
    assertThat(f.runId()).hasSize(36);
    assertThat(frames).extracting(Frame::runId).containsOnly(f.runId());
    assertThat(new int[] {f.width(), f.height(), f.rawWidth(), f.rawHeight()})
        .containsExactly(320, 180, 1280, 720);
    HealthReport ready = check("filecam");
    assertThat(ready.up()).isTrue();
    assertThat(ready.data().getString("state")).isEqualTo("streaming");
    assertThat(ready.data().getDouble("last_frame_ts_utc")).isGreaterThan(f.tsUtc());
    assertThat(counter("stopsign_frames_decoded", "filecam")).isGreaterThanOrEqualTo(10);
    assertThat(Meters.prometheus().scrape())
        .contains("stopsign_last_timestamp_seconds{camera=\"filecam\",stage=\"decode\"}");
    await(vertx.undeploy(id));
    int after = frames.size();
    // a marker sent now queues behind any frame already sent: once it is in, no frame came late
    vertx.eventBus().send(Addresses.frames("filecam"), DRAINED);
    waitFor(
        () -> markers.contains("filecam"), Duration.ofSeconds(30), "the marker behind the frames");
    assertThat(frames).hasSize(after);
    assertThat(counter("stopsign_frames_decoded", "filecam"))
        .isZero(); // meters removed with the verticle
  }

  @Test
  @DisplayName(
      "A missing file makes the camera not ready with the reason, retries with backoff, refuses a"
          + " still frame (409, none decoded yet), and the process lives on")
  void missingFile(Vertx vertx) throws Exception {
    await(vertx.deployVerticle(verticle(camera("nofile", "/no/such/clip.mp4", false))));
    waitFor(
        () -> counter("stopsign_decode_reconnects", "nofile") >= 3,
        Duration.ofSeconds(30),
        "three reconnects");
    HealthReport ready = check("nofile");
    // no persistence deployed here: its source_state events cannot be stored; once their retries
    // (1 s, 2 s, 4 s) are spent, that is counted
    waitFor(
        () -> {
          var unstored =
              Meters.registry()
                  .find("stopsign_events_unstored")
                  .tags("camera", "nofile", "kind", "source_state")
                  .counter();
          return unstored != null && unstored.count() > 0;
        },
        Duration.ofSeconds(30),
        "an unstored source_state event counted");
    assertThat(ready.up()).isFalse();
    assertThat(ready.data().getString("state")).isEqualTo("reconnecting");
    // /ready shows a file source as "file", never the host's paths
    assertThat(ready.data().getString("reason")).isEqualTo("file not found: file");
    assertThat(ready.data().getValue("last_frame_ts_utc")).isNull();
    Throwable noStill =
        vertx
            .eventBus()
            .request(Addresses.stillFrame("nofile"), null)
            .toCompletionStage()
            .toCompletableFuture()
            .handle((ok, e) -> e)
            .get(10, TimeUnit.SECONDS);
    assertThat(noStill)
        .as("a still frame before the first frame")
        .isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) noStill).failureCode()).isEqualTo(409);
    assertThat(noStill.getMessage()).isEqualTo("no frame decoded yet");
    assertThat(await(vertx.<Long>executeBlocking(() -> 42L))).isEqualTo(42L);
  }

  @Test
  @DisplayName(
      "An unreachable RTSP camera is not ready (connection refused) until a server starts, then"
          + " frames flow")
  void rtspReconnects(Vertx vertx) throws Exception {
    int port = RtspServer.freePort();
    List<Frame> frames = collectFrames(vertx, "rtspcam");
    await(
        vertx.deployVerticle(
            verticle(camera("rtspcam", "rtsp://127.0.0.1:" + port + "/cam1", false))));
    waitFor(
        () -> counter("stopsign_decode_reconnects", "rtspcam") >= 2,
        Duration.ofSeconds(10),
        "two reconnects");
    HealthReport down = check("rtspcam");
    assertThat(down.up()).isFalse();
    assertThat(down.data().getString("reason")).isEqualTo("connection refused");
    assertThat(frames).isEmpty();
    try (RtspServer server = RtspServer.start(Fixtures.path(FrameSourceTest.CLIP), port)) {
      waitFor(() -> frames.size() >= 15, Duration.ofSeconds(20), "frames over RTSP");
      assertThat(check("rtspcam").up()).isTrue();
      for (int i = 1; i < frames.size(); i++) {
        assertThat(frames.get(i).tsUtc()).isGreaterThan(frames.get(i - 1).tsUtc());
      }
      assertThat(frames.get(0).rawWidth()).isEqualTo(1280);
    }
  }

  @Test
  @DisplayName(
      "A snapshot request writes a full-resolution JPEG of that frame; paths outside data_dir are"
          + " refused; a still-frame request answers the newest as JPEG bytes with its size")
  void snapshots(Vertx vertx) throws Exception {
    List<Frame> frames = collectFrames(vertx, "snapcam");
    await(
        vertx.deployVerticle(
            verticle(camera("snapcam", Fixtures.path(FrameSourceTest.CLIP).toString(), true))));
    waitFor(() -> frames.size() >= 20, Duration.ofSeconds(20), "20 frames");
    long seq = frames.get(15).seq();
    JsonObject reply =
        await(
                vertx
                    .eventBus()
                    .<JsonObject>request(
                        Addresses.snapshots("snapcam"),
                        new JsonObject()
                            .put("seq", seq)
                            .put("path", "snapshots/snapcam/pass-1.jpg")))
            .body();
    assertThat(reply.getString("path")).isEqualTo("snapshots/snapcam/pass-1.jpg");
    assertThat(reply.getLong("seq")).isEqualTo(seq);
    assertThat(reply.getDouble("ts_utc")).isEqualTo(frames.get(15).tsUtc());
    Path jpeg = dataDir.resolve("snapshots/snapcam/pass-1.jpg");
    BufferedImage image = ImageIO.read(jpeg.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(720);
    assertThat(Files.size(jpeg)).isGreaterThan(20_000);

    JsonObject future =
        new JsonObject().put("seq", 1_000_000).put("path", "snapshots/snapcam/next.jpg");
    JsonObject nearest =
        await(vertx.eventBus().<JsonObject>request(Addresses.snapshots("snapcam"), future)).body();
    assertThat(nearest.getLong("seq")).as("the newest frame kept").isBetween(seq, 999_999L);
    assertThat(dataDir.resolve("snapshots/snapcam/next.jpg")).isNotEmptyFile();

    Message<Buffer> still =
        await(vertx.eventBus().<Buffer>request(Addresses.stillFrame("snapcam"), null));
    BufferedImage stillImage = ImageIO.read(new ByteArrayInputStream(still.body().getBytes()));
    assertThat(stillImage.getWidth()).as("the still frame, as JPEG").isEqualTo(1280);
    assertThat(stillImage.getHeight()).isEqualTo(720);
    assertThat(still.headers().get(Addresses.FRAME_WIDTH_HEADER)).isEqualTo("1280");
    assertThat(still.headers().get(Addresses.FRAME_HEIGHT_HEADER)).isEqualTo("720");

    for (String bad :
        List.of("../escape.jpg", "/tmp/abs.jpg", "snapshots/x.png", "snapshots/../../x.jpg")) {
      JsonObject request = new JsonObject().put("seq", seq).put("path", bad);
      Throwable failure =
          vertx
              .eventBus()
              .request(Addresses.snapshots("snapcam"), request)
              .toCompletionStage()
              .toCompletableFuture()
              .handle((ok, e) -> e)
              .get(10, TimeUnit.SECONDS);
      assertThat(failure).as(bad).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
    }
    assertThat(dataDir.getParent().resolve("escape.jpg")).doesNotExist();
  }

  @Test
  @DisplayName(
      "The test pattern camera streams, and is served as embedded HLS under data_dir/hls/<camera>/")
  void testPatternWithHls(Vertx vertx) throws Exception {
    List<Frame> frames = collectFrames(vertx, "pattern");
    CameraConfig camera = camera("pattern", "testpattern?size=320x240&rate=30", false);
    await(vertx.deployVerticle(new DecodeVerticle(camera, GEOMETRY, dataDir, true, "test")));
    Path playlist = dataDir.resolve("hls/pattern/index.m3u8");
    waitFor(() -> Files.exists(playlist), Duration.ofSeconds(15), "the HLS playlist");
    assertThat(frames).isNotEmpty();
    assertThat(frames.get(0).rawWidth()).isEqualTo(320);
    String m3u8 = Files.readString(playlist);
    assertThat(m3u8).contains("#EXT-X-PROGRAM-DATE-TIME:").contains("seg-000000.ts");
    java.time.Instant pdt =
        java.time.Instant.parse(
            m3u8.lines()
                .filter(l -> l.startsWith("#EXT-X-PROGRAM-DATE-TIME:"))
                .findFirst()
                .orElseThrow()
                .substring(25));
    assertThat(pdt.toEpochMilli() / 1000.0)
        .isCloseTo(frames.get(0).tsUtc(), org.assertj.core.api.Assertions.within(0.002));
    assertThat(Files.size(dataDir.resolve("hls/pattern/seg-000000.ts"))).isGreaterThan(1000);
    assertThat(check("pattern").up()).isTrue();
  }
}
