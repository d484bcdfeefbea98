/** The benchmark command. Imports stages and codec, never the root package. */
package io.stopsign.bench;
