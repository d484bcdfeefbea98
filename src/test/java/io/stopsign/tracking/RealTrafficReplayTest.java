package io.stopsign.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.decode.Frame;
import io.stopsign.inference.Boxes;
import io.stopsign.inference.Detections;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.InputGeometry;
import io.stopsign.inference.ModelConfig;
import io.stopsign.judge.TrackedBox;
import io.stopsign.testing.Fixtures;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tracking real detections of real footage")
class RealTrafficReplayTest {
  private static final int RAW_W = 1280;
  private static final int RAW_H = 720;
  private static final int FRAMES = 90;
  private static List<Detections> detections;

  /** FastestDet (the model for tests where inference is not under test) on 3 s of the road clip. */
  @BeforeAll
  static void detect() throws Exception {
    String clip = Fixtures.path("media/road-cars-720p30.mp4").toString();
    ModelConfig model =
        new ModelConfig(
            Fixtures.path("models/fastestdet.onnx").toString(),
            "fastestdet",
            "auto",
            0.3,
            0.5,
            List.of("car", "truck", "bus", "motorcycle"),
            1);
    String run = UUID.randomUUID().toString();
    detections = new ArrayList<>();
    try (Detector detector = Detectors.open(model)) {
      InputGeometry.Size size = detector.input().contentSize(RAW_W, RAW_H);
      String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
      Process p =
          new ProcessBuilder(
                  ffmpeg,
                  "-v",
                  "error",
                  "-nostdin",
                  "-i",
                  clip,
                  "-frames:v",
                  String.valueOf(FRAMES),
                  "-vf",
                  "scale=" + size.width() + ":" + size.height(),
                  "-f",
                  "rawvideo",
                  "-pix_fmt",
                  "rgb24",
                  "-")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      byte[] rgb = new byte[size.width() * size.height() * 3];
      try (DataInputStream in = new DataInputStream(p.getInputStream())) {
        for (int seq = 0; seq < FRAMES; seq++) {
          try {
            in.readFully(rgb);
          } catch (EOFException e) {
            break;
          }
          ByteBuffer pixels = ByteBuffer.allocateDirect(rgb.length).put(rgb).flip();
          Frame frame =
              new Frame(
                  "road",
                  run,
                  seq,
                  1_700_000_000.0 + seq / 30.0,
                  RAW_W,
                  RAW_H,
                  size.width(),
                  size.height(),
                  pixels,
                  () -> {});
          detections.add(detector.detect(frame));
        }
      } finally {
        if (detections.size() < FRAMES) {
          p.destroyForcibly();
        }
      }
      assertThat(detections).as("frames FFmpeg delivered").hasSize(FRAMES);
      assertThat(p.waitFor()).as("FFmpeg exit status").isZero();
    }
  }

  @Test
  @DisplayName("FastestDet detections of 3 s of road footage give long, consistent tracks")
  void longConsistentTracks() {
    List<TrackerReplay.Step> steps = TrackerReplay.replay(detections, TrackerConfig.DEFAULTS);
    Map<Long, Integer> framesPerId = new TreeMap<>();
    Map<Long, TrackedBox> lastBox = new TreeMap<>();
    Map<Long, Long> lastSeq = new TreeMap<>();
    int detectionCount = 0;
    int consecutivePairs = 0;
    for (TrackerReplay.Step s : steps) {
      detectionCount += s.frame().items().size();
      List<TrackedBox> tracks = s.update().tracks();
      for (int i = 0; i < tracks.size(); i++) {
        TrackedBox t = tracks.get(i);
        framesPerId.merge(t.id(), 1, Integer::sum);
        TrackedBox before = lastBox.put(t.id(), t);
        if (before != null && s.frame().seq() - lastSeq.get(t.id()) == 1) {
          // An id handed to another vehicle shows as a box that no longer overlaps its last one.
          assertThat(iou(before, t))
              .as("track %d from frame %d to the next", t.id(), s.frame().seq() - 1)
              .isGreaterThanOrEqualTo(0.3f);
          consecutivePairs++;
        }
        lastSeq.put(t.id(), s.frame().seq());
        for (int j = i + 1; j < tracks.size(); j++) {
          assertThat(iou(t, tracks.get(j)))
              .as("tracks %d and %d are one vehicle", t.id(), tracks.get(j).id())
              .isLessThan(0.7f);
        }
      }
    }
    long longTracks = framesPerId.values().stream().filter(n -> n >= 60).count();
    double framesPerTrack =
        framesPerId.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    System.out.printf(
        "road clip, %d frames, %d detections: %d ids, %d of them >= 2 s, %.1f frames per id%n",
        steps.size(), detectionCount, framesPerId.size(), longTracks, framesPerTrack);
    assertThat(steps).hasSize(FRAMES);
    assertThat(consecutivePairs).isGreaterThan(500);
    assertThat(longTracks).as("tracks followed for 2 of the 3 s").isGreaterThanOrEqualTo(3);
    assertThat(framesPerTrack).as("mean frames per id (fragmentation)").isGreaterThanOrEqualTo(20);
  }

  private static float iou(TrackedBox a, TrackedBox b) {
    return Boxes.iou(a.x1(), a.y1(), a.x2(), a.y2(), b.x1(), b.y1(), b.x2(), b.y2());
  }
}
