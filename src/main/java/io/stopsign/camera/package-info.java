/**
 * A leaf: a camera's config, its stop-sign geometry (zone, lines, calibration), thresholds and the
 * box Sample the geometry classifies. Imports only config.
 */
package io.stopsign.camera;
