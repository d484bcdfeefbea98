package io.stopsign.camera;

import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cameras[i].detect_regions} and {@code detect_width}: parts of the picture the detector
 * looks at again at a higher resolution (far vehicles on the approach to the stop zone), on top of
 * the whole picture. {@code auto} (the default) = {@link #AUTO_TILES}; {@code none} or {@code []} =
 * the detector sees the whole picture once, at its own input size.
 *
 * @param regions {@code [x1, y1, x2, y2]} in raw camera pixels, or in fractions of the picture when
 *     {@code relative}
 * @param sourceWidth the longest side decode scales the picture to when there are regions (a
 *     smaller camera keeps its own size)
 * @param relative regions are fractions of the picture's width and height ({@code auto})
 */
public record DetectRegions(List<Region> regions, int sourceWidth, boolean relative) {
  /**
   * {@code auto}: the upper half of the picture, where a camera looking along a road sees its far
   * vehicles, in three overlapping tiles (each half the picture's width, so seen at twice the scale
   * of the whole picture; the middle one holds the cars the other two cut).
   */
  public static final List<Region> AUTO_TILES =
      List.of(
          new Region(0, 0, 0.5, 0.5), new Region(0.25, 0, 0.75, 0.5), new Region(0.5, 0, 1, 0.5));

  public static final DetectRegions NONE = new DetectRegions(List.of(), 1280, false);
  public static final DetectRegions AUTO = new DetectRegions(AUTO_TILES, 1280, true);

  /** One region, raw camera pixels (or fractions of the picture). */
  public record Region(double x1, double y1, double x2, double y2) {}

  public static DetectRegions from(ConfigReader r) {
    Object v = r.raw("detect_regions");
    int width = r.integer("detect_width", 1280, 320, 4096);
    if (v == null || "auto".equals(v)) {
      return new DetectRegions(AUTO_TILES, width, true);
    }
    if ("none".equals(v)) {
      return new DetectRegions(List.of(), width, false);
    }
    String allowed =
        "must be auto, none or a list of [x1, y1, x2, y2] boxes in camera pixels, x1 < x2, y1 < y2";
    if (!(v instanceof List<?> list)) {
      throw new ConfigException(r.key("detect_regions"), v, allowed);
    }
    List<Region> regions = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof List<?> box) || box.size() != 4) {
        throw new ConfigException(r.key("detect_regions"), v, allowed);
      }
      double[] c = new double[4];
      for (int i = 0; i < 4; i++) {
        if (!(box.get(i) instanceof Number n) || !(n.doubleValue() >= 0)) {
          throw new ConfigException(r.key("detect_regions"), v, allowed);
        }
        c[i] = n.doubleValue();
      }
      if (c[2] - c[0] < 8 || c[3] - c[1] < 8) {
        throw new ConfigException(r.key("detect_regions"), v, allowed + ", at least 8 px each way");
      }
      regions.add(new Region(c[0], c[1], c[2], c[3]));
    }
    return new DetectRegions(List.copyOf(regions), width, false);
  }

  /** The regions as {@code [x1, y1, x2, y2]} arrays, for the tiled detector. */
  public List<float[]> boxes() {
    List<float[]> boxes = new ArrayList<>();
    for (Region g : regions) {
      boxes.add(new float[] {(float) g.x1, (float) g.y1, (float) g.x2, (float) g.y2});
    }
    return boxes;
  }
}
