package io.stopsign.bench;

import io.stopsign.camera.DetectRegions;
import io.stopsign.inference.Detector;
import io.stopsign.inference.Detectors;
import io.stopsign.inference.ModelConfig;
import io.stopsign.inference.TiledDetector;

/**
 * The detector a bench camera runs: the model alone ({@code --regions none}), or over the auto
 * tiles as a camera with the default {@code detect_regions: auto} does (the whole picture and three
 * tiles, four inferences a frame on a 1280x720 clip, frames scaled to at most {@code detect_width}
 * 1280).
 */
record DetectorSetup(ModelConfig model, boolean tiles) {

  /** {@code auto} or {@code none}; null for anything else. */
  static DetectorSetup parse(ModelConfig model, String regions) {
    return switch (regions) {
      case "auto" -> new DetectorSetup(model, true);
      case "none" -> new DetectorSetup(model, false);
      default -> null;
    };
  }

  /** A new detector, owned by the caller. */
  Detector open() {
    Detector detector = Detectors.open(model);
    if (!tiles) {
      return detector;
    }
    DetectRegions auto = DetectRegions.AUTO;
    return new TiledDetector(detector, auto.boxes(), true, auto.sourceWidth(), model.nmsIou());
  }

  /** For the header line: which views a frame gets. */
  String describe() {
    return tiles
        ? "detect_regions auto (the whole picture + 3 tiles where the model shrinks it)"
        : "detect_regions none (the whole picture once)";
  }
}
