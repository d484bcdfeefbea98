/**
 * The HTTP server: pages, HLS files, WebSocket upgrade and probes. Imports broadcast, camera,
 * config, ops.
 */
package io.stopsign.web;
