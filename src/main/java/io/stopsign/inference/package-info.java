/**
 * The inference stage: detectors, model families and model fetching. Imports bus, config, media,
 * ops.
 */
package io.stopsign.inference;
