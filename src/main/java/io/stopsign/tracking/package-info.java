/**
 * The tracking stage: ByteTrack tracks fed to the judge, per-frame FrameMetadata. Imports bus,
 * camera, config, inference, judge, ops.
 */
package io.stopsign.tracking;
