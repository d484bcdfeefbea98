package io.stopsign.hls;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_grow_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

import java.io.IOException;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.Pointer;

/**
 * Joins the packets of one picture into one: an RTSP camera may send a picture's slices (or its
 * parameter sets) in packets of their own, all with the picture's timestamp, while an MPEG-TS muxer
 * takes one packet per timestamp and refuses a repeated one.
 */
final class AccessUnits implements AutoCloseable {
  /** Receives each whole picture; the packet is valid only during the call. */
  interface Sink {
    void accept(AVPacket picture, double tsUtc) throws IOException;
  }

  private final AVPacket pending = av_packet_alloc();
  private boolean held;
  private double heldTsUtc;

  /** Takes a packet (timestamps on the output timeline); hands on the picture it completes. */
  void add(AVPacket packet, double tsUtc, Sink sink) throws IOException {
    if (held && packet.dts() == pending.dts()) {
      int size = pending.size();
      if (av_grow_packet(pending, packet.size()) < 0) {
        throw new IOException("cannot join the packets of a picture");
      }
      Pointer.memcpy(pending.data().position(size), packet.data(), packet.size());
      pending.flags(pending.flags() | (packet.flags() & AV_PKT_FLAG_KEY));
      return;
    }
    flush(sink);
    if (av_packet_ref(pending, packet) < 0) {
      throw new IOException("cannot reference a packet");
    }
    held = true;
    heldTsUtc = tsUtc;
  }

  /** Hands on the picture being joined, if any (end of a session, a cut). */
  void flush(Sink sink) throws IOException {
    if (!held) {
      return;
    }
    held = false;
    try {
      sink.accept(pending, heldTsUtc);
    } finally {
      av_packet_unref(pending);
    }
  }

  /** Drops the picture being joined. */
  void discard() {
    if (held) {
      held = false;
      av_packet_unref(pending);
    }
  }

  @Override
  public void close() {
    discard();
    av_packet_free(pending);
  }
}
