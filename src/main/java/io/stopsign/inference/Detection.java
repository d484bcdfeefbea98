package io.stopsign.inference;

/** One detected object, box in raw camera pixels. */
public record Detection(
    int classId, String label, float score, float x1, float y1, float x2, float y2) {

  public float width() {
    return x2 - x1;
  }

  public float height() {
    return y2 - y1;
  }

  public float area() {
    return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  }

  /** Intersection over union with another box. */
  public float iou(Detection other) {
    return Boxes.iou(x1, y1, x2, y2, other.x1, other.y1, other.x2, other.y2);
  }
}
