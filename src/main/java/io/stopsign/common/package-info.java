/**
 * Small policies every stage shares (retry backoff, rate-limited logging). A leaf: it imports no
 * other io.stopsign package, so any package may import it without making a cycle.
 */
package io.stopsign.common;
