/**
 * The persist stage: Postgres writes, spool and schema maintenance. Imports bus, camera, config,
 * judge, ops, tracking.
 */
package io.stopsign.persist;
