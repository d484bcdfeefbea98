/** A leaf: the typed config reader and its error. Imports no other io.stopsign package. */
package io.stopsign.config;
