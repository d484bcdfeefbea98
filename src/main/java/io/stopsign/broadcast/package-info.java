/** The broadcast stage: per-frame metadata to WebSocket clients. Imports bus, ops, tracking. */
package io.stopsign.broadcast;
