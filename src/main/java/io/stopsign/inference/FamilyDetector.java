package io.stopsign.inference;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Detector} made of an engine (ONNX Runtime or TensorFlow) and a model family's pre- and
 * post-processing: tensor from frame, decode, confidence, class filter, class-wise NMS, class
 * confidences and cross-class duplicates, raw pixels.
 */
final class FamilyDetector implements Detector {
  private static final Logger LOG = LoggerFactory.getLogger(FamilyDetector.class);
  private static final int MAX_DETECTIONS = 300;

  private final InferenceEngine engine;
  private final ModelFamily family;
  private final InputGeometry geometry;
  private final InputTensorWriter writer;
  private final OutputDecoder decoder;
  private final float confidence;
  private final float nmsIou;
  private final boolean[] keep;
  private final DetectionFilter filter;
  private final ConcurrentLinkedQueue<InferenceEngine.Workspace> idle =
      new ConcurrentLinkedQueue<>();
  private final List<InferenceEngine.Workspace> all = new ArrayList<>();
  // each detecting thread decodes into its own candidates, reused frame after frame
  private final ThreadLocal<Candidates> candidates = ThreadLocal.withInitial(Candidates::new);

  FamilyDetector(
      InferenceEngine engine,
      ModelFamily family,
      double confidence,
      double nmsIou,
      List<String> classes,
      DetectionFilter filter) {
    this.engine = engine;
    this.filter = filter;
    this.family = family;
    this.confidence = (float) confidence;
    this.nmsIou = (float) nmsIou;
    try {
      long[] declared = engine.declaredInputShape();
      boolean nchw = channelsFirst(declared, engine.channelsFirstByDefault());
      this.geometry = geometry(declared, nchw, family, engine.source());
      long[] inputShape =
          nchw
              ? new long[] {1, 3, geometry.height(), geometry.width()}
              : new long[] {1, geometry.height(), geometry.width(), 3};
      long[] outputShape = engine.prepare(inputShape);
      this.decoder = decoderFor(outputShape);
      this.writer = family.writer(geometry, nchw);
      this.keep = CocoClasses.filter(classes, 0);
      LOG.info(
          "detector ready: {} family {} input {} {} output {}",
          engine.source(),
          family.configName(),
          Arrays.toString(inputShape),
          geometry.letterbox() ? "letterbox" : "resize",
          Arrays.toString(outputShape));
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  @Override
  public InputGeometry input() {
    return geometry;
  }

  @Override
  public Detections detect(Frame frame) {
    long start = System.nanoTime();
    InferenceEngine.Workspace ws = acquire();
    Candidates found = candidates.get();
    found.clear();
    BoxMapping mapping;
    try {
      FloatBuffer input = ws.input();
      mapping = writer.write(frame, input);
      decoder.decode(ws.run(), confidence, keep, found);
    } finally {
      idle.add(ws);
    }
    Nms.classWise(found, nmsIou, MAX_DETECTIONS);
    filter.apply(found);
    // only the boxes that survive become records, and Detections keeps this list without a copy
    Detection[] raw = new Detection[found.selected()];
    for (int k = 0; k < raw.length; k++) {
      raw[k] = mapping.toRaw(found, found.selection()[k]);
    }
    return new Detections(
        frame.camera(),
        frame.runId(),
        frame.seq(),
        frame.tsUtc(),
        frame.rawWidth(),
        frame.rawHeight(),
        frame.width(),
        frame.height(),
        List.of(raw),
        System.nanoTime() - start);
  }

  @Override
  public void close() {
    synchronized (all) {
      all.forEach(InferenceEngine.Workspace::close);
      all.clear();
      idle.clear();
    }
    engine.close();
  }

  @Override
  public String toString() {
    return family.configName() + " on " + engine.source();
  }

  private InferenceEngine.Workspace acquire() {
    InferenceEngine.Workspace ws = idle.poll();
    if (ws != null) {
      return ws;
    }
    synchronized (all) {
      ws = engine.newWorkspace();
      all.add(ws);
      return ws;
    }
  }

  private OutputDecoder decoderFor(long[] outputShape) {
    try {
      return family.decoder(outputShape, geometry);
    } catch (ModelException e) {
      throw new ModelException(engine.source() + ": " + e.getMessage());
    }
  }

  private static boolean channelsFirst(long[] shape, boolean byDefault) {
    if (shape.length == 4 && shape[3] == 3 && shape[1] != 3) {
      return false;
    }
    if (shape.length == 4 && shape[1] == 3 && shape[3] != 3) {
      return true;
    }
    return byDefault;
  }

  private static InputGeometry geometry(
      long[] shape, boolean nchw, ModelFamily family, String source) {
    if (shape.length != 4) {
      throw new ModelException(
          source
              + ": input shape "
              + Arrays.toString(shape)
              + " is not an image batch (expected 4 dimensions)");
    }
    long h = nchw ? shape[2] : shape[1];
    long w = nchw ? shape[3] : shape[2];
    return new InputGeometry(
        w > 0 ? (int) w : family.defaultWidth,
        h > 0 ? (int) h : family.defaultHeight,
        family.letterbox);
  }
}
