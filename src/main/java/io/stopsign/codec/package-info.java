/**
 * The codec of every message record, registered on each node. Imports bus and the stages that own
 * the records.
 */
package io.stopsign.codec;
