package io.stopsign.common;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one writer of JSON error answers, {@code {"error": code, "detail": sentence}}, for the API
 * and the web server alike: status, no-store, no stack trace, a detail cut to a readable length.
 */
public final class ErrorJson {
  private static final int MAX_DETAIL = 300;

  /**
   * Ends the response with the error; a response whose body already started is reset (cutting the
   * connection is the only honest end), an ended one is left alone.
   */
  public static void send(HttpServerResponse response, int status, String code, String detail) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    String sentence = detail == null || detail.isBlank() ? sentence(status) : detail;
    if (sentence.length() > MAX_DETAIL) {
      sentence = sentence.substring(0, MAX_DETAIL) + "...";
    }
    response.headers().remove("content-encoding").remove("content-length");
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(new JsonObject().put("error", code).put("detail", sentence).encode());
  }

  /** The error code of a status when nothing more specific is known. */
  public static String code(int status) {
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
      default -> status >= 500 ? "internal" : "bad_request";
    };
  }

  /** A generic sentence for a status, used when the caller has no detail. */
  public static String sentence(int status) {
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
      default -> status >= 500 ? "internal error" : "request refused";
    };
  }

  private ErrorJson() {}
}
