package io.stopsign.media;

import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Sees what the decode loop demuxes and decodes, on the decode thread, before the detector-sized
 * copy leaves: the snapshot ring keeps full-resolution pictures, embedded HLS remuxes the packets.
 * The packet and frame belong to the caller and are valid only during the call (ref them to keep
 * them).
 */
public interface MediaTap extends AutoCloseable {

  /** A (re)connected source: its stream parameters, valid until {@link #onSessionEnd()}. */
  default void onSessionStart(SessionInfo session) {}

  /** A demuxed video packet; pts/dts already continuous across loops of a file. */
  default void onPacket(AVPacket packet, double tsUtc) {}

  /** A decoded full-resolution picture, {@code seq} being the sequence of the Frame sent for it. */
  default void onFrame(AVFrame frame, long seq, double tsUtc) {}

  /** The session is over (error, end, stop); the stream parameters are about to be freed. */
  default void onSessionEnd() {}

  @Override
  default void close() {}

  /** All of {@code taps}, in order; a failing tap is the caller's problem, so keep taps robust. */
  static MediaTap of(List<MediaTap> taps) {
    List<MediaTap> all = List.copyOf(taps);
    return new MediaTap() {
      @Override
      public void onSessionStart(SessionInfo session) {
        all.forEach(t -> t.onSessionStart(session));
      }

      @Override
      public void onPacket(AVPacket packet, double tsUtc) {
        all.forEach(t -> t.onPacket(packet, tsUtc));
      }

      @Override
      public void onFrame(AVFrame frame, long seq, double tsUtc) {
        all.forEach(t -> t.onFrame(frame, seq, tsUtc));
      }

      @Override
      public void onSessionEnd() {
        all.forEach(MediaTap::onSessionEnd);
      }

      @Override
      public void close() {
        all.forEach(MediaTap::close);
      }
    };
  }
}
