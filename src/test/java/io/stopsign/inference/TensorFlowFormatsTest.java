package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.proto.GraphDef;

@DisplayName("TensorFlow model formats: frozen GraphDef and SavedModel")
class TensorFlowFormatsTest {
  @TempDir Path dir;

  private static GraphDef centernet() {
    return TfjsGraphConverter.convert(Fixtures.path("models/centernet/centernet.json")).graph();
  }

  @Test
  @DisplayName(
      "the converted CenterNet written as a frozen .pb loads by file type and finds the big car")
  void frozenGraphDef() throws Exception {
    Path pb = Files.write(dir.resolve("centernet.pb"), centernet().toByteArray());
    try (Detector d = Detectors.open(RealModelsTest.config(pb.toString(), "centernet"))) {
      RealModelsTest.assertBigCar(RealModelsTest.run(d, "centernet-graphdef", 1));
    }
  }

  @Test
  @DisplayName(
      "the converted CenterNet exported as a SavedModel directory loads through its signature")
  void savedModel() throws Exception {
    Path exported = dir.resolve("saved");
    try (Graph graph = new Graph()) {
      graph.importGraphDef(centernet());
      try (Session session = new Session(graph)) {
        Signature signature =
            Signature.builder()
                .input("images", graph.operationOrThrow("tower_0/images").output(0))
                .output("keypoints", graph.operationOrThrow("tower_0/keypoints").output(0))
                .output("detections", graph.operationOrThrow("tower_0/detections").output(0))
                .build();
        SavedModelBundle.exporter(exported.toString())
            .withFunction(SessionFunction.create(signature, session))
            .export();
      }
    }
    assertThat(exported.resolve("saved_model.pb")).isRegularFile();
    try (Detector d = Detectors.open(RealModelsTest.config(exported.toString(), "centernet"))) {
      RealModelsTest.assertBigCar(RealModelsTest.run(d, "centernet-savedmodel", 1));
    }
  }
}
