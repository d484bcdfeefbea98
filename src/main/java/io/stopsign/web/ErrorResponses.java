package io.stopsign.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error answers: JSON {@code {"error","detail"}} for the API and the WebSocket endpoint, plain text
 * for pages. Never a stack trace to a client; unexpected failures are logged here instead.
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
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    String text = detail == null || detail.isBlank() ? sentence(status) : detail;
    response.setStatusCode(status);
    response.headers().remove("content-encoding").remove("content-length");
    response.putHeader("cache-control", "no-store");
    if (status == 401) {
      response.putHeader("www-authenticate", "Bearer realm=\"stopsign\"");
    }
    if (wantsJson(ctx.request().path())) {
      response
          .putHeader("content-type", "application/json; charset=utf-8")
          .end(new JsonObject().put("error", code(status)).put("detail", text).encode());
    } else {
      response
          .putHeader("content-type", "text/plain; charset=utf-8")
          .end(status + " " + text + "\n");
    }
  }

  static boolean wantsJson(String path) {
    return path != null
        && (path.equals("/api")
            || path.startsWith("/api/")
            || path.equals("/ws")
            || path.startsWith("/ws/"));
  }

  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      case 421 -> "misdirected_request";
      case 429 -> "too_many_requests";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal" : "error";
    };
  }

  private static String sentence(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "a token is required";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request too large";
      case 415 -> "unsupported body type";
      case 421 -> "this service does not answer to that host name";
      case 429 -> "too many requests";
      case 503 -> "service unavailable";
      default -> status >= 500 ? "internal error" : "request failed";
    };
  }

  private ErrorResponses() {}
}
