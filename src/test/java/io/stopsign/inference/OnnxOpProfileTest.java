package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs where each ONNX model's time goes, per operator type, on the street image. */
@DisplayName("ONNX Runtime's per-operator profile of the ONNX detectors")
class OnnxOpProfileTest {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxOpProfileTest.class);
  @TempDir Path dir;

  private OnnxOpProfile profile(String model, String family, int runs) throws IOException {
    OnnxOpProfile p =
        OnnxOpProfile.detect(
            RealModelsTest.config(Fixtures.path(model).toString(), family),
            RealModelsTest.street(),
            runs,
            Files.createDirectories(dir.resolve(family)));
    LOG.info("{}: {}", model, p.table());
    assertThat(p.runs()).isEqualTo(runs);
    return p;
  }

  @Test
  @DisplayName(
      "The int8 YOLOv8n is dynamic-quantized: ORT runs ConvInteger on DynamicQuantizeLinear's"
          + " output, with no QLinearConv, no QDQ pair and no float convolution left")
  void yolov8Int8IsDynamicQuantized() throws IOException {
    OnnxOpProfile p = profile("models/yolov8n-int8.onnx", "yolov8", 5);
    assertThat(p.ops()).containsKeys("ConvInteger", "DynamicQuantizeLinear", "Cast");
    assertThat(p.ops())
        .doesNotContainKeys("QLinearConv", "QuantizeLinear", "DequantizeLinear", "Conv");
    assertThat(p.ops().get("ConvInteger").nodes()).isEqualTo(64);
  }

  @Test
  @DisplayName("YOLOX-nano and FastestDet run float convolutions, in ORT's blocked layout")
  void floatModels() throws IOException {
    for (String[] m :
        new String[][] {
          {"models/yolox-nano.onnx", "yolox"}, {"models/fastestdet.onnx", "fastestdet"}
        }) {
      OnnxOpProfile p = profile(m[0], m[1], 5);
      assertThat(p.ops()).containsKeys("Conv", "ReorderOutput").doesNotContainKey("ConvInteger");
    }
  }
}
