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
 * the model's own input here. A frame's views run at once ({@link ViewPool}) and merge in view
 * order, so the boxes are those of running them one after the other.
 */
public final class TiledDetector implements Detector {
  // a tile box this close to a tile edge inside the picture is a cut car; the full view has it
  // whole
  private static final float EDGE = 3f;
  // two views' boxes of one small car: IoU above this and the smaller box mostly inside the other
  private static final float VIEW_IOU = 0.25f;
  private static final float VIEW_INSIDE = 0.6f;
  // auto tiles only for pictures the model sees shrunk below this (1280x720 into 512: 0.4)
  private static final double AUTO_BELOW_SCALE = 0.75;

  private final Detector inner;
  private final List<float[]> regions;
  private final boolean relative;
  private final InputGeometry source;
  private final float nmsIou;
  private final ThreadLocal<ByteBuffer> scratch;
  private final ViewPool pool;

  /**
   * @param regions {@code [x1, y1, x2, y2]} in raw camera pixels
   * @param sourceWidth the longest side decode scales the camera picture to (a smaller camera keeps
   *     its own size)
   */
  public TiledDetector(Detector inner, List<float[]> regions, int sourceWidth, double nmsIou) {
    this(inner, regions, false, sourceWidth, nmsIou);
  }

  /**
   * @param relative regions are fractions of the picture's width and height (any camera size)
   */
  public TiledDetector(
      Detector inner, List<float[]> regions, boolean relative, int sourceWidth, double nmsIou) {
    this(inner, regions, relative, sourceWidth, nmsIou, ViewPool.shared());
  }

  /**
   * @param pool runs a frame's views: {@link ViewPool#shared()} at once, {@link
   *     ViewPool#sequential()} one after the other (same boxes)
   */
  TiledDetector(
      Detector inner,
      List<float[]> regions,
      boolean relative,
      int sourceWidth,
      double nmsIou,
      ViewPool pool) {
    this.inner = inner;
    this.pool = pool;
    this.regions = List.copyOf(regions);
    this.relative = relative;
    this.source = InputGeometry.atMost(sourceWidth);
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
    int rw = frame.rawWidth();
    int rh = frame.rawHeight();
    List<float[]> rects = views(rw, rh);
    List<List<Detection>> seen = pool.run(rects.size(), i -> view(frame, rects.get(i)));
    List<Detection> whole = seen.get(0);
    List<Detection> found = new ArrayList<>(whole);
    List<Integer> views = new ArrayList<>();
    fill(views, found.size(), 0);
    for (int i = 1; i < rects.size(); i++) {
      float[] tile = rects.get(i);
      for (Detection d : seen.get(i)) {
        if (!(cut(d, tile, rw, rh) || partOf(d, tile, whole))) {
          found.add(d);
        }
      }
      fill(views, found.size(), i);
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
        merge(found, views, nmsIou),
        System.nanoTime() - start);
  }

  /** The whole picture, then each region worth a look, clipped to the picture, in camera pixels. */
  private List<float[]> views(int rw, int rh) {
    List<float[]> out = new ArrayList<>();
    out.add(new float[] {0, 0, rw, rh});
    for (float[] region : closer(rw, rh) ? regions : List.<float[]>of()) {
      float[] r =
          relative
              ? new float[] {region[0] * rw, region[1] * rh, region[2] * rw, region[3] * rh}
              : region;
      float[] clipped = {
        Math.max(0, r[0]), Math.max(0, r[1]), Math.min(rw, r[2]), Math.min(rh, r[3])
      };
      if (clipped[2] - clipped[0] >= 8 && clipped[3] - clipped[1] >= 8) {
        out.add(clipped);
      }
    }
    return out;
  }

  /** One view's boxes in camera pixels; any thread (its own scratch buffer). */
  private List<Detection> view(Frame frame, float[] raw) {
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
    List<Detection> out = new ArrayList<>();
    for (Detection d : inner.detect(crop).items()) {
      out.add(
          new Detection(
              d.classId(),
              d.label(),
              d.score(),
              raw[0] + d.x1() * sx,
              raw[1] + d.y1() * sy,
              raw[0] + d.x2() * sx,
              raw[1] + d.y2() * sy));
    }
    return out;
  }

  private static boolean cut(Detection d, float[] r, int rw, int rh) {
    return (r[0] > 0 && d.x1() - r[0] < EDGE)
        || (r[1] > 0 && d.y1() - r[1] < EDGE)
        || (r[2] < rw && r[2] - d.x2() < EDGE)
        || (r[3] < rh && r[3] - d.y2() < EDGE);
  }

  /**
   * Whether a tile box is part of a vehicle the tile cuts: the whole picture boxed the same vehicle
   * reaching past the tile's edge. Its part seen closer would otherwise win the merge, and the
   * track's box would jump where the vehicle crosses the tile's edge.
   */
  private static boolean partOf(Detection d, float[] r, List<Detection> wholeBoxes) {
    for (Detection whole : wholeBoxes) {
      boolean beyond =
          whole.x1() < r[0] - EDGE
              || whole.y1() < r[1] - EDGE
              || whole.x2() > r[2] + EDGE
              || whole.y2() > r[3] + EDGE;
      if (beyond && d.iou(whole) > VIEW_IOU && insideSmaller(d, whole) > VIEW_INSIDE) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the regions are worth a look: always when the camera named them; for {@code auto}
   * (fractions) only when the whole picture is shrunk to fit the model (a 320x240 camera already
   * fills a 640 px input at twice its size, tiles would only enlarge pixels).
   */
  private boolean closer(int rw, int rh) {
    InputGeometry model = inner.input();
    return !relative
        || Math.min((double) model.width() / rw, (double) model.height() / rh) < AUTO_BELOW_SCALE;
  }

  private static void fill(List<Integer> views, int size, int view) {
    while (views.size() < size) {
      views.add(view);
    }
  }

  /**
   * One box per vehicle over all views: tile boxes first (seen closer, so tighter, and the same
   * source frame after frame, which keeps the tracker's boxes steady), then the whole picture's. A
   * box is dropped when it overlaps a kept one above {@code iou}, or, from another view, when its
   * IoU passes {@link #VIEW_IOU} and most of the smaller box lies in the other: a small car boxed a
   * few pixels apart by two views has an IoU under 0.5 and would otherwise become two tracks.
   */
  static List<Detection> merge(List<Detection> boxes, List<Integer> views, float iou) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < boxes.size(); i++) {
      order.add(i);
    }
    order.sort(
        Comparator.<Integer>comparingInt(i -> views.get(i) == 0 ? 1 : 0)
            .thenComparing(i -> -boxes.get(i).score()));
    List<Integer> kept = new ArrayList<>();
    for (int i : order) {
      Detection d = boxes.get(i);
      boolean same = false;
      for (int k : kept) {
        Detection o = boxes.get(k);
        float overlap = d.iou(o);
        if (overlap > iou
            || (!views.get(k).equals(views.get(i))
                && overlap > VIEW_IOU
                && insideSmaller(d, o) > VIEW_INSIDE)) {
          same = true;
          break;
        }
      }
      if (!same) {
        kept.add(i);
      }
    }
    List<Detection> out = new ArrayList<>();
    kept.forEach(k -> out.add(boxes.get(k)));
    return out;
  }

  private static float insideSmaller(Detection a, Detection b) {
    float inter =
        Boxes.intersection(a.x1(), a.y1(), a.x2(), a.y2(), b.x1(), b.y1(), b.x2(), b.y2());
    float smaller = Math.min(a.area(), b.area());
    return inter <= 0 || smaller <= 0 ? 0 : inter / smaller;
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
