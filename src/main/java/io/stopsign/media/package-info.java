/**
 * A leaf: the decoded Frame, the detector's InputGeometry and the FFmpeg helpers shared by decode
 * and hls. Imports no other io.stopsign package.
 */
package io.stopsign.media;
