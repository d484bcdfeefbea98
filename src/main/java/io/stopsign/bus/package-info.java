/**
 * The bottom: event-bus addresses, the drop-oldest queue and the generic codecs. Imports no other
 * io.stopsign package.
 */
package io.stopsign.bus;
