package io.stopsign.inference;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;

/**
 * A loaded object detector. {@link #detect} takes a frame already scaled to {@link #input()}'s
 * content size (packed RGB24) and returns boxes in raw camera pixels. Safe to call from several
 * threads.
 */
public interface Detector extends AutoCloseable {

  /** The tensor geometry decode must scale frames to. */
  InputGeometry input();

  /** Runs the model on one frame; the caller keeps ownership of the frame (and releases it). */
  Detections detect(Frame frame);

  /** Frees the native session; no call to {@link #detect} may be running. */
  @Override
  void close();
}
