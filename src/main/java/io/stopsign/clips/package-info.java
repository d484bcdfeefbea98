/**
 * Replay clips: the recent HLS segments of each camera kept on disk a few minutes, and an MP4 cut
 * from them around each pass. Imports bus, config, hls, judge, media.
 */
package io.stopsign.clips;
