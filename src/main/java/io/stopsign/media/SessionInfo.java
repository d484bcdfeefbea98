package io.stopsign.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;

/**
 * One decode session of a camera (from a (re)connect to its end).
 *
 * @param codecParameters the video stream's parameters, owned by the source; copy them to keep them
 * @param timeBaseNum numerator of the time base of packet and frame timestamps
 * @param fps nominal frame rate (30 when the source does not say)
 * @param maxKeyframeInterval longest keyframe spacing in seconds known up front (a file's index),
 *     or NaN when unknown (live sources)
 * @param live true for network streams, false for files and test patterns
 */
public record SessionInfo(
    String camera,
    String runId,
    AVCodecParameters codecParameters,
    int timeBaseNum,
    int timeBaseDen,
    double fps,
    int width,
    int height,
    String codecName,
    double maxKeyframeInterval,
    boolean live) {}
