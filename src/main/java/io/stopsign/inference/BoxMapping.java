package io.stopsign.inference;

/**
 * Maps a box from input-tensor pixels back to raw camera pixels: the frame's content sits at
 * ({@code offsetX}, {@code offsetY}) in the tensor, {@code contentWidth x contentHeight} in size.
 */
record BoxMapping(
    int offsetX, int offsetY, int contentWidth, int contentHeight, int rawWidth, int rawHeight) {

  Detection toRaw(Detection d) {
    float sx = (float) rawWidth / contentWidth;
    float sy = (float) rawHeight / contentHeight;
    return new Detection(
        d.classId(),
        CocoClasses.label(d.classId()),
        d.score(),
        clamp((d.x1() - offsetX) * sx, rawWidth),
        clamp((d.y1() - offsetY) * sy, rawHeight),
        clamp((d.x2() - offsetX) * sx, rawWidth),
        clamp((d.y2() - offsetY) * sy, rawHeight));
  }

  private static float clamp(float v, int max) {
    return v < 0 ? 0 : Math.min(v, max);
  }
}
