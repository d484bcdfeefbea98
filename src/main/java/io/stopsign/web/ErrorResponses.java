package io.stopsign.web;

import io.stopsign.common.ErrorJson;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error answers: JSON {@code {"error","detail"}} ({@link ErrorJson}) for the API and the WebSocket
 * endpoint, plain text for pages. Never a stack trace to a client; unexpected failures are logged
 * here instead.
 */
final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  /** The router's failure handler. */
  static void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    String detail = null;
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      detail = http.getPayload();
    }
    if (status < 400) {
      status = 500;
    }
    if (status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      detail = "internal error; the server log has the details";
    }
    send(ctx, status, detail);
  }

  /**
   * Ends the request with an error status; {@code detail} may be null (a generic sentence is used).
   */
  static void send(RoutingContext ctx, int status, String detail) {
    HttpServerResponse response = ctx.response();
    if (status == 401 && !response.headWritten() && !response.ended()) {
      response.putHeader("www-authenticate", "Bearer realm=\"stopsign\"");
    }
    if (wantsJson(ctx.request().path())) {
      ErrorJson.send(response, status, ErrorJson.code(status), detail);
      return;
    }
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    String text = detail == null || detail.isBlank() ? ErrorJson.sentence(status) : detail;
    response.headers().remove("content-encoding").remove("content-length");
    response
        .setStatusCode(status)
        .putHeader("cache-control", "no-store")
        .putHeader("content-type", "text/plain; charset=utf-8")
        .end(status + " " + text + "\n");
  }

  static boolean wantsJson(String path) {
    return path != null
        && (path.equals("/api")
            || path.startsWith("/api/")
            || path.equals("/ws")
            || path.startsWith("/ws/"));
  }

  private ErrorResponses() {}
}
