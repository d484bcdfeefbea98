package io.stopsign.judge;

/** One confirmed track in one frame, as the tracker hands it to the judge; box in raw pixels. */
public record TrackedBox(long id, String cls, float score, float x1, float y1, float x2, float y2) {

  public double centerX() {
    return (x1 + x2) / 2.0;
  }

  /** Bottom centre: where the vehicle touches the road, the point zones and calibration use. */
  public double groundY() {
    return y2;
  }
}
