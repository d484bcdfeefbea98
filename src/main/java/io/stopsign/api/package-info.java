/** The history REST API (OpenAPI router and handlers). Imports camera, config, judge. */
package io.stopsign.api;
