/**
 * The history REST API (OpenAPI router and handlers). Imports bus, camera, clips, config, judge,
 * media, tracking.
 */
package io.stopsign.api;
