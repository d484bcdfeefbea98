package io.stopsign.inference;

/** Axis-aligned box arithmetic shared by NMS and tracking. */
public final class Boxes {

  public static float iou(
      float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2, float by2) {
    float inter = intersection(ax1, ay1, ax2, ay2, bx1, by1, bx2, by2);
    if (inter <= 0) {
      return 0f;
    }
    float union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
    return union <= 0 ? 0f : inter / union;
  }

  /** Area the two boxes share, 0 when they do not overlap. */
  public static float intersection(
      float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2, float by2) {
    float iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
    float ih = Math.min(ay2, by2) - Math.max(ay1, by1);
    return iw <= 0 || ih <= 0 ? 0f : iw * ih;
  }

  private Boxes() {}
}
