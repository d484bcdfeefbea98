/**
 * The HTTP server: pages, HLS files, WebSocket upgrade and probes; /ready from the health reports
 * on the bus. Imports broadcast, bus, camera, config, ops.
 */
package io.stopsign.web;
