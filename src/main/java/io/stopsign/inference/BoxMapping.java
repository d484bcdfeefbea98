package io.stopsign.inference;

/**
 * Maps a box from input-tensor pixels back to raw camera pixels: the frame's content sits at
 * ({@code offsetX}, {@code offsetY}) in the tensor, {@code contentWidth x contentHeight} in size.
 */
record BoxMapping(
    int offsetX, int offsetY, int contentWidth, int contentHeight, int rawWidth, int rawHeight) {

  Detection toRaw(Detection d) {
    return toRaw(d.classId(), d.score(), d.x1(), d.y1(), d.x2(), d.y2());
  }

  /** Candidate {@code i} of a frame's candidates, mapped and labelled. */
  Detection toRaw(Candidates c, int i) {
    return toRaw(c.classId(i), c.score(i), c.x1(i), c.y1(i), c.x2(i), c.y2(i));
  }

  private Detection toRaw(int cls, float score, float x1, float y1, float x2, float y2) {
    float sx = (float) rawWidth / contentWidth;
    float sy = (float) rawHeight / contentHeight;
    return new Detection(
        cls,
        CocoClasses.label(cls),
        score,
        clamp((x1 - offsetX) * sx, rawWidth),
        clamp((y1 - offsetY) * sy, rawHeight),
        clamp((x2 - offsetX) * sx, rawWidth),
        clamp((y2 - offsetY) * sy, rawHeight));
  }

  private static float clamp(float v, int max) {
    return v < 0 ? 0 : Math.min(v, max);
  }
}
