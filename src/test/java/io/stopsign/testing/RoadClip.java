package io.stopsign.testing;

import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.inference.Detections;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.ModelConfig;
import io.stopsign.media.Frame;
import io.stopsign.media.SourceException;
import java.util.ArrayList;
import java.util.List;

/**
 * A real model's detections of the road fixture clip (1280x720, 30 fps, ~9 s of cars), decoded and
 * scaled by the product's own FrameSource as fast as it goes: the path live frames take.
 */
public final class RoadClip {
  /** The clip, relative to the fixtures folder. */
  public static final String CLIP = "media/road-cars-720p30.mp4";

  /** Every frame of the clip. */
  public static final int ALL_FRAMES = Integer.MAX_VALUE;

  /** A fixture model at the tests' usual settings, keeping the vehicle classes. */
  public static ModelConfig vehicles(String modelRelPath, String family) {
    return new ModelConfig(
        Fixtures.path(modelRelPath).toString(),
        family,
        "auto",
        0.3,
        0.5,
        List.of("car", "truck", "bus", "motorcycle"),
        1);
  }

  /**
   * Detections of the first {@code maxFrames} frames (fewer if the clip ends first), camera "road",
   * with the defaults of model.* (confidence 0.3, NMS 0.5, the four vehicle classes).
   */
  public static List<Detections> detections(String modelRelPath, String family, int maxFrames)
      throws SourceException, InterruptedException {
    ModelConfig model = vehicles(modelRelPath, family);
    List<Detections> detections = new ArrayList<>();
    try (Detector detector = Detectors.open(model);
        FrameSource source =
            FrameSource.open(
                SourceOptions.of(SourceSpec.file(Fixtures.path(CLIP)), "road", detector.input())
                    .withUnpaced(true),
                null)) {
      while (detections.size() < maxFrames) {
        Frame frame = source.next();
        if (frame == null) {
          break;
        }
        try {
          detections.add(detector.detect(frame));
        } finally {
          frame.release();
        }
      }
    }
    return detections;
  }

  private RoadClip() {}
}
