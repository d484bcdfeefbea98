package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.config.ConfigException;
import io.stopsign.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Model paths that are not models")
class ModelErrorsTest {
  @TempDir Path dir;

  private static ModelConfig config(Path path, String family) {
    return new ModelConfig(path.toString(), family, "auto", 0.3, 0.5, List.of("car"), 1);
  }

  private static void assertRefused(ModelConfig config, String... parts) {
    assertThatThrownBy(() -> Detectors.open(config).close())
        .isInstanceOf(ModelException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("\n")
                    .contains(config.path())
                    .contains(parts));
  }

  @Test
  @DisplayName("a text file named .onnx is refused as not a usable ONNX model")
  void textAsOnnx() throws Exception {
    Path f = Files.writeString(dir.resolve("model.onnx"), "hello, I am not a model\n");
    assertRefused(config(f, "yolov8"), "not a usable ONNX model");
  }

  @Test
  @DisplayName(
      "a text file named .json is refused as not a TF.js model, and JSON without a graph too")
  void textAsJson() throws Exception {
    Path f = Files.writeString(dir.resolve("model.json"), "hello");
    assertRefused(config(f, "centernet"), "not a TensorFlow.js model.json");
    Path g = Files.writeString(dir.resolve("other.json"), "{\"format\":\"layers-model\"}");
    assertRefused(config(g, "centernet"), "not a TensorFlow.js graph model");
  }

  @Test
  @DisplayName("a text file named .pb is refused as not a GraphDef")
  void textAsGraphDef() throws Exception {
    Path f = Files.writeString(dir.resolve("frozen.pb"), "hello, I am not a graph\n");
    assertRefused(config(f, "centernet"), "GraphDef");
  }

  @Test
  @DisplayName(
      "a text file with another extension, a missing file and a folder without a model are refused")
  void notModels() throws Exception {
    Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertRefused(config(txt, "centernet"), "not a model file");
    assertRefused(config(dir.resolve("missing.onnx"), "yolov8"), "model not found");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertRefused(config(empty, "centernet"), "directory holds no saved_model.pb");
  }

  @Test
  @DisplayName("a real model configured with the wrong family is refused naming the output shape")
  void wrongFamily() {
    ModelConfig c = config(Fixtures.path("models/fastestdet.onnx"), "yolov8");
    assertRefused(c, "[1, 85, 22, 22]", "does not match family yolov8");
    // CenterNet's several outputs are not NanoDet's per-stride scores and boxes to join
    ModelConfig n = config(Fixtures.path("models/centernet/centernet.json"), "nanodet");
    assertRefused(n, "are not per-stride [1,cells,80] scores and [1,cells,B] boxes", "tower_0/wh");
  }

  @Test
  @DisplayName("an unknown class name is a config error naming model.classes")
  void unknownClass() {
    ModelConfig c =
        new ModelConfig(
            Fixtures.path("models/fastestdet.onnx").toString(),
            "fastestdet",
            "auto",
            0.3,
            0.5,
            List.of("carr"),
            1);
    assertThatThrownBy(() -> Detectors.open(c))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("model.classes");
  }

  @Test
  @DisplayName("darknet class spellings are accepted as aliases")
  void aliases() {
    assertThat(CocoClasses.id("motorbike")).isEqualTo(CocoClasses.id("motorcycle")).isEqualTo(3);
  }
}
