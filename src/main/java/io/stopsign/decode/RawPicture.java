package io.stopsign.decode;

import java.nio.ByteBuffer;

/**
 * A full-resolution decoded picture copied out of the snapshot ring: its planes packed one after
 * the other (FFmpeg image layout, alignment 1) in {@code data}.
 *
 * @param pixelFormat FFmpeg AVPixelFormat of {@code data}
 */
public record RawPicture(
    long seq, double tsUtc, int width, int height, int pixelFormat, ByteBuffer data) {}
