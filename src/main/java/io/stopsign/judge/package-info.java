/**
 * Pass judgment per camera: kinematics, zone debounce, verdicts, pass events and their publisher.
 * Imports bus, camera, config, ops.
 */
package io.stopsign.judge;
