package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Output decoders on synthetic tensors")
class DecodersTest {
  private static final boolean[] ALL = CocoClasses.filter(List.of(), 80);
  private static final boolean[] CARS = CocoClasses.filter(List.of("car"), 80);

  private static List<Detection> decode(
      OutputDecoder decoder, float[] out, float min, boolean[] keep) {
    Candidates sink = new Candidates();
    decoder.decode(FloatBuffer.wrap(out), min, keep, sink);
    List<Detection> found = new ArrayList<>();
    for (int i = 0; i < sink.size(); i++) {
      found.add(sink.detection(i));
    }
    return found;
  }

  private static void assertBox(
      Detection d, int cls, float score, float x1, float y1, float x2, float y2) {
    assertThat(d.classId()).isEqualTo(cls);
    assertThat(d.score()).isCloseTo(score, within(1e-3f));
    assertThat(new float[] {d.x1(), d.y1(), d.x2(), d.y2()})
        .containsExactly(new float[] {x1, y1, x2, y2}, within(0.01f));
  }

  private static float logit(double p) {
    return (float) Math.log(p / (1 - p));
  }

  @Test
  @DisplayName(
      "centernet reads x1,y1,x2,y2,score,class rows and drops low scores and other classes")
  void centernet() {
    float[] out = new float[3 * 6];
    System.arraycopy(new float[] {10, 20, 110, 220, 0.8f, 2}, 0, out, 0, 6);
    System.arraycopy(new float[] {0, 0, 5, 5, 0.2f, 2}, 0, out, 6, 6);
    System.arraycopy(new float[] {0, 0, 50, 50, 0.9f, 0}, 0, out, 12, 6);
    List<Detection> found = decode(new CenterNetDecoder(new long[] {1, 3, 6}), out, 0.3f, CARS);
    assertThat(found).hasSize(1);
    assertBox(found.get(0), 2, 0.8f, 10, 20, 110, 220);
  }

  @Test
  @DisplayName("yolov8 reads channel-major cx,cy,w,h and the best class score")
  void yolov8() {
    int n = 4;
    float[] out = new float[(4 + 80) * n];
    int i = 2;
    out[i] = 100; // cx
    out[n + i] = 200; // cy
    out[2 * n + i] = 40; // w
    out[3 * n + i] = 60; // h
    out[(4 + 2) * n + i] = 0.7f; // car
    out[(4 + 7) * n + i] = 0.4f; // truck
    out[(4 + 0) * n + 1] = 0.9f; // a person elsewhere
    List<Detection> found = decode(new YoloV8Decoder(new long[] {1, 84, n}), out, 0.3f, CARS);
    assertThat(found).hasSize(1);
    assertBox(found.get(0), 2, 0.7f, 80, 170, 120, 230);
    assertThat(decode(new YoloV8Decoder(new long[] {1, 84, n}), out, 0.3f, ALL)).hasSize(2);
  }

  @Test
  @DisplayName("yolox applies sigmoid, grid offsets, exp sizes and strides, block by block")
  void yolox() {
    InputGeometry g = new InputGeometry(64, 64, true); // grids 8x8, 4x4, 2x2
    int channels = 85;
    int cells8 = 64;
    int cells16 = 16;
    float[] out = new float[channels * (64 + 16 + 4)];
    Arrays.fill(out, -20f); // every logit "off"
    int base = channels * cells8; // the stride-16 block
    int cell = 1 * 4 + 2; // gx = 2, gy = 1
    out[base + cell] = 0.5f;
    out[base + cells16 + cell] = 0.25f;
    out[base + 2 * cells16 + cell] = (float) Math.log(2); // w = 2 * 16
    out[base + 3 * cells16 + cell] = 0f; // h = 16
    out[base + 4 * cells16 + cell] = logit(0.9);
    out[base + (5 + 2) * cells16 + cell] = logit(0.8);
    List<Detection> found = decode(new YoloxDecoder(new long[] {1, 84, 85}, g), out, 0.3f, ALL);
    assertThat(found).hasSize(1);
    float cx = (2 + 0.5f) * 16;
    float cy = (1 + 0.25f) * 16;
    assertBox(found.get(0), 2, 0.72f, cx - 16, cy - 8, cx + 16, cy + 8);
  }

  @Test
  @DisplayName(
      "fastestdet scores obj^0.6 * cls^0.4 and places tanh offsets and sigmoid sizes on the grid")
  void fastestdet() {
    InputGeometry g = new InputGeometry(100, 50, false);
    int gh = 2;
    int gw = 4;
    int cells = gh * gw;
    float[] out = new float[85 * cells];
    int cell = 1 * gw + 3; // x = 3, y = 1
    out[cell] = 0.8f;
    out[cells + cell] = 0f; // tanh(0) = 0
    out[2 * cells + cell] = 0f;
    out[3 * cells + cell] = logit(0.5); // w = 0.5 of the input
    out[4 * cells + cell] = logit(0.25);
    out[(5 + 2) * cells + cell] = 0.6f;
    List<Detection> found =
        decode(new FastestDetDecoder(new long[] {1, 85, gh, gw}, g), out, 0.3f, ALL);
    assertThat(found).hasSize(1);
    float score = (float) (Math.pow(0.8, 0.6) * Math.pow(0.6, 0.4));
    float cx = 3f / gw * 100;
    float cy = 1f / gh * 50;
    assertBox(found.get(0), 2, score, cx - 25, cy - 6.25f, cx + 25, cy + 6.25f);
  }

  @Test
  @DisplayName(
      "nanodet takes the best sigmoid score and each side's softmax-expected distance in strides"
          + " from the cell centre, level by level")
  void nanodet() {
    InputGeometry g = new InputGeometry(64, 64, false); // grids 8x8, 4x4, 2x2
    int bins = 8;
    int channels = 80 + 4 * bins;
    float[] out = new float[channels * (64 + 16 + 4)];
    Arrays.fill(out, -20f); // every distance logit "off" and every class score far below min
    int row = 64 + 1 * 4 + 2; // stride 16, gx = 2, gy = 1
    int o = row * channels;
    out[o + 2] = 0.8f; // car
    out[o + 80 + 2] = 20f; // left: 2 strides
    out[o + 80 + bins + 1] = 20f; // top: 1 or 2 strides alike, so 1.5
    out[o + 80 + bins + 2] = 20f;
    out[o + 80 + 2 * bins + 3] = 20f; // right: 3 strides
    out[o + 80 + 3 * bins] = 20f; // bottom: 0
    out[3 * channels] = 0.9f; // a person at stride 8
    out[5 * channels + 2] = 0.2f; // a car below the minimum
    NanoDetDecoder decoder = new NanoDetDecoder(new long[] {1, 84, channels}, g);
    List<Detection> found = decode(decoder, out, 0.3f, CARS);
    assertThat(found).hasSize(1);
    float cx = (2 + 0.5f) * 16;
    float cy = (1 + 0.5f) * 16;
    assertBox(found.get(0), 2, 0.8f, cx - 32, cy - 24, cx + 48, cy);
    assertThat(decode(decoder, out, 0.3f, ALL)).hasSize(2);
    assertThatThrownBy(() -> new NanoDetDecoder(new long[] {1, 85, channels}, g))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("nanodet")
        .hasMessageContaining("[1,84,80+4*(R+1)]");
  }

  @Test
  @DisplayName("a decoder refuses an output shape that is not its family's")
  void shapeMismatch() {
    assertThatThrownBy(() -> new CenterNetDecoder(new long[] {1, 84, 8400}))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("centernet")
        .hasMessageContaining("[1, 84, 8400]");
    assertThatThrownBy(
            () -> new FastestDetDecoder(new long[] {1, 100, 6}, new InputGeometry(352, 352, false)))
        .isInstanceOf(ModelException.class);
  }

  @Test
  @DisplayName("a letterboxed box maps back to raw camera pixels")
  void letterboxMapping() {
    InputGeometry g = new InputGeometry(640, 640, true);
    InputGeometry.Size content = g.contentSize(1920, 1080);
    assertThat(content).isEqualTo(new InputGeometry.Size(640, 360));
    Frame frame =
        new Frame(
            "c",
            "r",
            1,
            0,
            1920,
            1080,
            640,
            360,
            ByteBuffer.allocateDirect(640 * 360 * 3),
            () -> {});
    InputTensorWriter writer = ModelFamily.YOLOV8.writer(g, true);
    FloatBuffer tensor = FloatBuffer.allocate(writer.tensorSize());
    BoxMapping mapping = writer.write(frame, tensor);
    assertThat(mapping.offsetY()).isEqualTo(140);
    // a box at input (100,140)-(200,240) is raw (300,0)-(600,300)
    Detection raw = mapping.toRaw(new Detection(2, null, 0.9f, 100, 140, 200, 240));
    assertBox(raw, 2, 0.9f, 300, 0, 600, 300);
    assertThat(raw.label()).isEqualTo("car");
    // padding rows carry the grey 114, content rows the pixel value (0 here)
    assertThat(tensor.get(0)).isCloseTo(114 / 255f, within(1e-6f));
    assertThat(tensor.get(140 * 640)).isEqualTo(0f);
    assertThat(tensor.get(500 * 640)).isCloseTo(114 / 255f, within(1e-6f));
  }

  @Test
  @DisplayName("the tensor writer puts channels in the model's order and layout")
  void channelOrderAndLayout() {
    ByteBuffer px = ByteBuffer.allocateDirect(2 * 1 * 3);
    px.put(new byte[] {10, 20, 30, 40, 50, 60}).flip();
    Frame frame = new Frame("c", "r", 1, 0, 2, 1, 2, 1, px, () -> {});
    InputGeometry g = new InputGeometry(2, 1, false);
    FloatBuffer nchwBgr = FloatBuffer.allocate(6);
    new InputTensorWriter(g, true, true, 0, 1f, new float[3], new float[] {1, 1, 1})
        .write(frame, nchwBgr);
    assertThat(nchwBgr.array()).containsExactly(30, 60, 20, 50, 10, 40);
    FloatBuffer nhwcRgb = FloatBuffer.allocate(6);
    new InputTensorWriter(g, false, false, 0, 1f, new float[3], new float[] {1, 1, 1})
        .write(frame, nhwcRgb);
    assertThat(nhwcRgb.array()).containsExactly(10, 20, 30, 40, 50, 60);
  }

  @Test
  @DisplayName("a frame that does not fit the detector input is refused with a clear message")
  void wrongFrameSize() {
    Frame frame =
        new Frame(
            "c",
            "r",
            1,
            0,
            1920,
            1080,
            700,
            300,
            ByteBuffer.allocateDirect(700 * 300 * 3),
            () -> {});
    InputTensorWriter writer = ModelFamily.YOLOV8.writer(new InputGeometry(640, 640, true), true);
    assertThatThrownBy(() -> writer.write(frame, FloatBuffer.allocate(writer.tensorSize())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frame 700x300 does not fit the detector input 640x640 (letterbox)");
  }
}
