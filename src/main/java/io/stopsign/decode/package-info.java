/**
 * The decode stage: sources, the decode loop and snapshots. Imports bus, camera, config, hls,
 * media, ops.
 */
package io.stopsign.decode;
