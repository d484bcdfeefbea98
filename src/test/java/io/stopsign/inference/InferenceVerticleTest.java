package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.stopsign.bus.Addresses;
import io.stopsign.codec.Codecs;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.ops.Meters;
import io.stopsign.testing.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("InferenceVerticle over the event bus")
class InferenceVerticleTest {
  private static Detector fastestDet;
  private static Frame template;

  @BeforeAll
  static void loadModel() {
    ModelConfig config =
        new ModelConfig(
            Fixtures.path("models/fastestdet.onnx").toString(),
            "fastestdet",
            "auto",
            0.3,
            0.5,
            List.of("car"),
            1);
    fastestDet = Detectors.open(config);
    BufferedImage street = TestFrames.image("images/street.jpg");
    template = TestFrames.frame(street, fastestDet.input());
  }

  @AfterAll
  static void closeModel() {
    fastestDet.close();
  }

  @BeforeEach
  void codecs(Vertx vertx) {
    Codecs.register(vertx.eventBus());
  }

  /** A frame sharing the template's pixels, with its own sequence number and release counter. */
  private static Frame frame(String camera, long seq, AtomicInteger releases) {
    return new Frame(
        camera,
        "run-1",
        seq,
        1_700_000_000.0 + seq,
        template.rawWidth(),
        template.rawHeight(),
        template.width(),
        template.height(),
        template.pixels(),
        releases::incrementAndGet);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private static double counter(String name, String tag, String value) {
    Counter c = Meters.registry().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @DisplayName(
      "frames sent in come out as detections of the car, in raw pixels, each frame released once")
  void framesInDetectionsOut(Vertx vertx) throws Exception {
    String camera = "inf-flow";
    List<Detections> out = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<Detections>localConsumer(Addresses.detections(camera), m -> out.add(m.body()));
    vertx
        .deployVerticle(new InferenceVerticle(camera, new Borrowed(fastestDet), 2, 1))
        .await(20, TimeUnit.SECONDS);
    AtomicInteger[] releases = new AtomicInteger[3];
    for (int i = 0; i < 3; i++) {
      releases[i] = new AtomicInteger();
      vertx.eventBus().send(Addresses.frames(camera), frame(camera, i + 1, releases[i]));
      int expected = i + 1;
      await(() -> out.size() == expected, "detections of frame " + expected);
    }
    assertThat(out).extracting(Detections::seq).containsExactly(1L, 2L, 3L);
    Detections d = out.get(0);
    assertThat(d.camera()).isEqualTo(camera);
    assertThat(d.runId()).isEqualTo("run-1");
    assertThat(d.tsUtc()).isEqualTo(1_700_000_001.0);
    assertThat(d.rawWidth()).isEqualTo(1330);
    assertThat(d.items())
        .anySatisfy(
            det ->
                assertThat(det.iou(new Detection(2, "car", 1, 662, 586, 972, 770)))
                    .isGreaterThan(0.7f));
    assertThat(releases).allSatisfy(r -> assertThat(r.get()).isEqualTo(1));
    assertThat(counter("stopsign_frames_inferred", "camera", camera)).isEqualTo(3);
    assertThat(
            Meters.registry()
                .find("stopsign_inference_latency")
                .tag("camera", camera)
                .timer()
                .count())
        .isEqualTo(3);
    assertThat(
            Meters.registry()
                .find("stopsign_last_timestamp_seconds")
                .tags("camera", camera, "stage", "infer")
                .gauge()
                .value())
        .isEqualTo(1_700_000_003.0);
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(20, TimeUnit.SECONDS);
    assertThat(Meters.registry().find("stopsign_frames_inferred").tag("camera", camera).counter())
        .isNull();
  }

  @Test
  @DisplayName(
      "with the detector busy the queue keeps the freshest frames; once free it takes the newest,"
          + " releases the dropped ones and tells decode when it expects to be free")
  void slowConsumerDropsOldest(Vertx vertx) throws Exception {
    String camera = "inf-slow";
    Held held = new Held(1);
    List<Long> seqs = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<Detections>localConsumer(Addresses.detections(camera), m -> seqs.add(m.body().seq()));
    List<Long> freeAt = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Long>localConsumer(Addresses.detectorFree(camera), m -> freeAt.add(m.body()));
    vertx.deployVerticle(new InferenceVerticle(camera, held, 2, 1)).await(20, TimeUnit.SECONDS);
    AtomicInteger[] releases = new AtomicInteger[11];
    for (int i = 1; i <= 10; i++) {
      releases[i] = new AtomicInteger();
    }
    vertx.eventBus().send(Addresses.frames(camera), frame(camera, 1, releases[1]));
    assertThat(held.entered.await(20, TimeUnit.SECONDS)).isTrue();
    for (int i = 2; i <= 10; i++) {
      vertx.eventBus().send(Addresses.frames(camera), frame(camera, i, releases[i]));
    }
    await(() -> counter("stopsign_queue_dropped", "queue", "frames." + camera) == 7, "7 drops");
    for (int i = 2; i <= 8; i++) {
      assertThat(releases[i].get()).as("dropped frame %d released", i).isEqualTo(1);
    }
    assertThat(releases[9].get()).isZero();
    held.proceed.countDown();
    await(() -> seqs.size() == 2, "the frames that were taken");
    assertThat(seqs).containsExactly(1L, 10L);
    await(() -> counter("stopsign_queue_dropped", "queue", "frames." + camera) == 8, "8 drops");
    await(() -> !freeAt.isEmpty() && freeAt.get(freeAt.size() - 1) == 0, "idle told to decode");
    assertThat(freeAt).as("an expected end while busy").anySatisfy(t -> assertThat(t).isNotZero());
    for (int i = 1; i <= 10; i++) {
      assertThat(releases[i].get()).as("frame %d released once", i).isEqualTo(1);
    }
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(20, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName(
      "a newest frame that waited over half a frame interval gives way to the next frame; with the"
          + " plain newest hand-off it is taken")
  void staleFrameGivesWayToTheNext(Vertx vertx) throws Exception {
    assertThat(handOff(vertx, "inf-stale", false)).containsExactly(1L, 2L, 4L);
    assertThat(handOff(vertx, "inf-newest", true)).containsExactly(1L, 2L, 3L, 4L);
  }

  /**
   * Frames one second apart: 1 is analysed; 2 is held in the detector until 3 has waited 0.7 s
   * behind it. Frame 4 is sent the moment the detector is free after 2: when it tells decode it is
   * waiting for the next frame, or with the plain hand-off once it has analysed 3. Returns the
   * frames analysed.
   */
  private static List<Long> handOff(Vertx vertx, String camera, boolean newest) throws Exception {
    Held held = new Held(2);
    AtomicInteger[] releases = new AtomicInteger[5];
    for (int i = 1; i <= 4; i++) {
      releases[i] = new AtomicInteger();
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable sendFour =
        () -> vertx.eventBus().send(Addresses.frames(camera), frame(camera, 4, releases[4]));
    List<Long> seqs = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<Detections>localConsumer(
            Addresses.detections(camera),
            m -> {
              seqs.add(m.body().seq());
              if (newest && m.body().seq() == 3) {
                sendFour.run();
              }
            });
    vertx
        .eventBus()
        .<Long>localConsumer(
            Addresses.detectorFree(camera),
            m -> {
              if (m.body() == 0 && released.compareAndSet(true, false)) {
                sendFour.run();
              }
            });
    InferenceVerticle inference = new InferenceVerticle(camera, held, 2, 1);
    if (newest) {
      inference.takingNewest();
    }
    String id = vertx.deployVerticle(inference).await(20, TimeUnit.SECONDS);
    vertx.eventBus().send(Addresses.frames(camera), frame(camera, 1, releases[1]));
    await(() -> seqs.size() == 1, "frame 1");
    vertx.eventBus().send(Addresses.frames(camera), frame(camera, 2, releases[2]));
    assertThat(held.entered.await(20, TimeUnit.SECONDS)).isTrue();
    vertx.eventBus().send(Addresses.frames(camera), frame(camera, 3, releases[3]));
    Thread.sleep(700);
    released.set(true);
    held.proceed.countDown();
    await(() -> seqs.contains(4L), "frame 4");
    for (int i = 1; i <= 4; i++) {
      int n = i;
      await(() -> releases[n].get() == 1, "frame " + n + " released");
    }
    assertThat(counter("stopsign_queue_dropped", "queue", "frames." + camera))
        .isEqualTo(newest ? 0 : 1);
    vertx.undeploy(id).await(20, TimeUnit.SECONDS);
    return seqs;
  }

  @Test
  @DisplayName("a frame the detector fails on is counted and the next frame still comes through")
  void errorKeepsThreadAlive(Vertx vertx) throws Exception {
    String camera = "inf-error";
    List<Long> seqs = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<Detections>localConsumer(Addresses.detections(camera), m -> seqs.add(m.body().seq()));
    vertx
        .deployVerticle(new InferenceVerticle(camera, new Borrowed(fastestDet), 2, 1))
        .await(20, TimeUnit.SECONDS);
    AtomicInteger badReleases = new AtomicInteger();
    Frame bad =
        new Frame(
            camera,
            "run-1",
            1,
            0,
            100,
            100,
            10,
            10,
            ByteBuffer.allocateDirect(300),
            badReleases::incrementAndGet);
    vertx.eventBus().send(Addresses.frames(camera), bad);
    await(() -> counter("stopsign_inference_errors", "camera", camera) == 1, "the error count");
    vertx.eventBus().send(Addresses.frames(camera), frame(camera, 2, new AtomicInteger()));
    await(() -> seqs.size() == 1, "the good frame");
    assertThat(seqs).containsExactly(2L);
    assertThat(badReleases.get()).isEqualTo(1);
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(20, TimeUnit.SECONDS);
  }

  /** The real detector, holding frame {@code seq} until the test lets it go. */
  private static final class Held extends Borrowed {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    private final long seq;

    Held(long seq) {
      super(fastestDet);
      this.seq = seq;
    }

    @Override
    public Detections detect(Frame frame) {
      if (frame.seq() == seq) {
        entered.countDown();
        try {
          proceed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.detect(frame);
    }
  }

  /**
   * The shared real detector, not closed by the verticle so the tests can reuse the loaded model.
   */
  private static class Borrowed implements Detector {
    private final Detector real;

    Borrowed(Detector real) {
      this.real = real;
    }

    @Override
    public InputGeometry input() {
      return real.input();
    }

    @Override
    public Detections detect(Frame frame) {
      return real.detect(frame);
    }

    @Override
    public void close() {}
  }
}
