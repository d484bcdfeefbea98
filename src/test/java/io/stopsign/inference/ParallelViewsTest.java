package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.camera.DetectRegions;
import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.decode.SourceSpec;
import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.testing.Fixtures;
import io.stopsign.testing.RoadClip;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A frame's views run at once give the boxes of running them one after the other: the road clip's
 * frames through the default auto tiles, on TensorFlow (CenterNet) and ONNX Runtime (FastestDet).
 */
class ParallelViewsTest {
  private static final int FRAMES = 6;
  private static final int EVERY = 40;

  @ParameterizedTest(name = "{1}")
  @CsvSource({"models/centernet/centernet.json, centernet", "models/fastestdet.onnx, fastestdet"})
  @DisplayName("the views at once, even all four together, box exactly what one after another does")
  void sameBoxesAsSequential(String model, String family) throws Exception {
    DetectRegions auto = DetectRegions.AUTO;
    ModelConfig config = RoadClip.vehicles(model, family);
    int boxes = 0;
    try (Detector inner = Detectors.open(config);
        FrameSource source =
            FrameSource.open(
                SourceOptions.of(
                        SourceSpec.file(Fixtures.path(RoadClip.CLIP)),
                        "road",
                        InputGeometry.atMost(auto.sourceWidth()))
                    .withUnpaced(true),
                null)) {
      TiledDetector sequential = tiled(inner, auto, ViewPool.sequential());
      TiledDetector shared = tiled(inner, auto, ViewPool.shared());
      TiledDetector allAtOnce = tiled(inner, auto, ViewPool.withHelpers(3));
      for (int i = 0; i < FRAMES * EVERY; i++) {
        Frame frame = source.next();
        assertThat(frame).as("frame %d of the clip", i).isNotNull();
        try {
          if (i % EVERY == 0) {
            List<Detection> expected = sequential.detect(frame).items();
            assertThat(shared.detect(frame).items()).as("frame %d", i).isEqualTo(expected);
            assertThat(allAtOnce.detect(frame).items()).as("frame %d", i).isEqualTo(expected);
            boxes += expected.size();
          }
        } finally {
          frame.release();
        }
      }
    }
    assertThat(boxes).as("cars boxed over the frames compared").isGreaterThan(FRAMES);
  }

  private static TiledDetector tiled(Detector inner, DetectRegions auto, ViewPool pool) {
    return new TiledDetector(inner, auto.boxes(), auto.relative(), auto.sourceWidth(), 0.5, pool);
  }
}
