/** Embedded HLS: H.264 encode, MPEG-TS mux and playlists. Imports media. */
package io.stopsign.hls;
