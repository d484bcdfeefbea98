package io.stopsign.inference;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a detector on the whole picture and again on regions of it at a higher resolution (the
 * approach to the stop zone, where far cars are a few pixels tall), then merges the boxes in raw
 * camera pixels. Decode hands it frames at {@code sourceWidth}; every view is cut and resampled to
 * the model's own input here.
 */
public final class TiledDetector implements Detector {
  // a tile box this close to a tile edge inside the picture is a cut car; the full view has it
  // whole
  private static final float EDGE = 3f;

  private final Detector inner;
  private final List<float[]> regions;
  private final InputGeometry source;
  private final float nmsIou;
  private final ThreadLocal<ByteBuffer> scratch;

  /**
   * @param regions {@code [x1, y1, x2, y2]} in raw camera pixels
   * @param sourceWidth the longest side decode scales the camera picture to
   */
  public TiledDetector(Detector inner, List<float[]> regions, int sourceWidth, double nmsIou) {
    this.inner = inner;
    this.regions = List.copyOf(regions);
    this.source = new InputGeometry(sourceWidth, sourceWidth, true);
    this.nmsIou = (float) nmsIou;
    InputGeometry model = inner.input();
    int bytes = model.width() * model.height() * 3;
    this.scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(bytes));
  }

  @Override
  public InputGeometry input() {
    return source;
  }

  @Override
  public Detections detect(Frame frame) {
    long start = System.nanoTime();
    List<Detection> found = new ArrayList<>();
    int rw = frame.rawWidth();
    int rh = frame.rawHeight();
    view(frame, new float[] {0, 0, rw, rh}, false, found);
    for (float[] r : regions) {
      float[] clipped = {
        Math.max(0, r[0]), Math.max(0, r[1]), Math.min(rw, r[2]), Math.min(rh, r[3])
      };
      if (clipped[2] - clipped[0] >= 8 && clipped[3] - clipped[1] >= 8) {
        view(frame, clipped, true, found);
      }
    }
    return new Detections(
        frame.camera(),
        frame.runId(),
        frame.seq(),
        frame.tsUtc(),
        rw,
        rh,
        frame.width(),
        frame.height(),
        suppress(found, nmsIou),
        System.nanoTime() - start);
  }

  private void view(Frame frame, float[] raw, boolean tile, List<Detection> out) {
    float fx = (float) frame.width() / frame.rawWidth();
    float fy = (float) frame.height() / frame.rawHeight();
    float[] px = {raw[0] * fx, raw[1] * fy, raw[2] * fx, raw[3] * fy};
    InputGeometry.Size size =
        inner
            .input()
            .contentSize(
                Math.max(1, Math.round(px[2] - px[0])), Math.max(1, Math.round(px[3] - px[1])));
    Frame crop = FrameCrop.crop(frame, px, size.width(), size.height(), scratch.get());
    float sx = (raw[2] - raw[0]) / size.width();
    float sy = (raw[3] - raw[1]) / size.height();
    for (Detection d : inner.detect(crop).items()) {
      Detection m =
          new Detection(
              d.classId(),
              d.label(),
              d.score(),
              raw[0] + d.x1() * sx,
              raw[1] + d.y1() * sy,
              raw[0] + d.x2() * sx,
              raw[1] + d.y2() * sy);
      if (!tile || !cut(m, raw, frame.rawWidth(), frame.rawHeight())) {
        out.add(m);
      }
    }
  }

  private static boolean cut(Detection d, float[] r, int rw, int rh) {
    return (r[0] > 0 && d.x1() - r[0] < EDGE)
        || (r[1] > 0 && d.y1() - r[1] < EDGE)
        || (r[2] < rw && r[2] - d.x2() < EDGE)
        || (r[3] < rh && r[3] - d.y2() < EDGE);
  }

  /** NMS across views and classes: one vehicle seen by two tiles, or as car and truck, is one. */
  static List<Detection> suppress(List<Detection> boxes, float iou) {
    List<Detection> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Detection d : sorted) {
      if (kept.stream().noneMatch(k -> k.iou(d) > iou)) {
        kept.add(d);
      }
    }
    return kept;
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public String toString() {
    return inner + " with " + regions.size() + " tile(s)";
  }
}
