package io.stopsign.camera;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One observation of one track: capture time (epoch seconds) and box in raw camera pixels, the unit
 * of a stored trajectory ({@code [t,x1,y1,x2,y2]}). Values are rounded on creation (ms, 0.1 px) so
 * that a trajectory read back from JSON replays to exactly the same score as the live one.
 */
public record Sample(double t, double x1, double y1, double x2, double y2) {

  public Sample {
    t = Math.round(t * 1000) / 1000.0;
    x1 = Math.round(x1 * 10) / 10.0;
    y1 = Math.round(y1 * 10) / 10.0;
    x2 = Math.round(x2 * 10) / 10.0;
    y2 = Math.round(y2 * 10) / 10.0;
  }

  /** Bottom centre of the box: where the vehicle touches the road. */
  public double groundX() {
    return (x1 + x2) / 2.0;
  }

  public double groundY() {
    return y2;
  }

  public boolean isFinite() {
    return Double.isFinite(t)
        && Double.isFinite(x1)
        && Double.isFinite(y1)
        && Double.isFinite(x2)
        && Double.isFinite(y2);
  }

  public JsonArray toJson() {
    return new JsonArray().add(t).add(x1).add(y1).add(x2).add(y2);
  }

  /**
   * Parses {@code [t,x1,y1,x2,y2]}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Sample fromJson(Object value) {
    if (!(value instanceof JsonArray a) || a.size() != 5) {
      throw new IllegalArgumentException("a sample must be [t,x1,y1,x2,y2], got " + value);
    }
    double[] v = new double[5];
    for (int i = 0; i < 5; i++) {
      if (!(a.getValue(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException(
            "a sample must hold 5 finite numbers, got " + a.encode());
      }
      v[i] = n.doubleValue();
    }
    if (v[3] < v[1] || v[4] < v[2]) {
      throw new IllegalArgumentException("a box needs x1 <= x2 and y1 <= y2, got " + a.encode());
    }
    return new Sample(v[0], v[1], v[2], v[3], v[4]);
  }

  /**
   * Parses a trajectory, {@code [[t,x1,y1,x2,y2],...]}.
   *
   * @throws IllegalArgumentException naming the index of the bad sample and what is wrong with it
   */
  public static List<Sample> listFromJson(JsonArray array) {
    List<Sample> samples = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        samples.add(fromJson(array.getValue(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sample " + i + ": " + e.getMessage(), e);
      }
    }
    return samples;
  }
}
