/**
 * Process metrics, stage timestamps, disk retention and session metrics. Imports bus and config.
 */
package io.stopsign.ops;
