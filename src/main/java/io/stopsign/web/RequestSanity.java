package io.stopsign.web;

import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses requests the router cannot take apart, before any handler tries: a query string that is
 * not valid percent-encoding (400), and form or multipart bodies, which no route accepts (415).
 * Without this the decoders throw inside the route chain and the client gets a 500.
 */
final class RequestSanity {
  // a '%' not followed by two hex digits
  private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  static void handle(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (uri != null && BAD_ESCAPE.matcher(uri).find()) {
      ErrorResponses.send(ctx, 400, "the address is not valid percent-encoding");
      return;
    }
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ErrorResponses.send(ctx, 400, "the query string is not valid percent-encoding");
      return;
    }
    String type = ctx.request().getHeader("content-type");
    if (type != null) {
      String t = type.strip().toLowerCase(Locale.ROOT);
      if (t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded")) {
        ErrorResponses.send(
            ctx, 415, "only JSON bodies are accepted here (Content-Type: application/json)");
        return;
      }
    }
    ctx.next();
  }

  private RequestSanity() {}
}
