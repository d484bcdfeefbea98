package io.stopsign.api;

import io.stopsign.common.ErrorJson;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of the API router into {@code {"error": code, "detail": sentence}}: 4xx for
 * what the client got wrong, 503 when the database is unreachable, 500 {@code internal} for the
 * rest. Stack traces go to the log, never to the client.
 */
final class ApiFailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int failedStatus = ctx.statusCode();
    if (failure instanceof HttpException http) {
      // vertx-web wraps the validator's verdict in a 400 HttpException
      failedStatus = http.getStatusCode();
      failure = http.getCause();
    }
    int status;
    String code;
    String detail;
    if (failure instanceof ApiException e) {
      status = e.status();
      code = e.code();
      detail = e.getMessage();
    } else if (failure instanceof ValidatorException e) {
      boolean noOperation = e.type() == ValidatorErrorType.MISSING_OPERATION;
      status = noOperation ? 404 : 400;
      code = noOperation ? "not_found" : "invalid_parameter";
      detail = e instanceof SchemaValidationException s ? schemaDetail(s) : e.getMessage();
    } else if (failure != null && queryCancelled(failure)) {
      status = 503;
      code = "query_timeout";
      detail = "The query ran past the API's time limit; ask for a shorter range or fewer rows.";
      LOG.warn(
          "API {} {}: query cancelled by the statement timeout", method(ctx), ctx.request().path());
    } else if (failure != null && causedBy(failure, ConnectException.class)) {
      status = 503;
      code = "db_unavailable";
      detail = "The database is unreachable; try again later.";
      LOG.warn(
          "API {} {}: database unreachable: {}",
          method(ctx),
          ctx.request().path(),
          failure.getMessage());
    } else if (failure == null && failedStatus >= 400 && failedStatus < 500) {
      status = failedStatus;
      code = ErrorJson.code(status);
      detail = status == 404 ? "No such API resource." : "The request was refused.";
    } else {
      status = 500;
      code = "internal";
      detail = "The server failed to answer this request; the error is in its log.";
      LOG.error("API {} {} failed", method(ctx), ctx.request().path(), failure);
    }
    ErrorJson.send(ctx.response(), status, code, detail);
  }

  /** Postgres cancelled the statement (statement_timeout): SQLSTATE 57014. */
  private static boolean queryCancelled(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof PgException pg && "57014".equals(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The validator's sentence names only the outermost failing member of a JSON body, often wrongly
   * ("Property thresholds does not match additional properties schema"): say instead where the
   * innermost failure is and why.
   */
  private static String schemaDetail(SchemaValidationException e) {
    OutputUnit deepest = deepest(e.getOutputUnit());
    String where = deepest == null ? null : deepest.getInstanceLocation();
    if (where == null || where.replace("#", "").replace("/", "").isEmpty()) {
      return e.getMessage();
    }
    String member = where.replaceFirst("^#?/", "").replace('/', '.');
    return "The request body is invalid at " + member + ": " + deepest.getError() + ".";
  }

  /**
   * The failure with the longest instance location in the tree and, among those, the longest
   * keyword location (the keyword that failed rather than the property that holds it).
   */
  private static OutputUnit deepest(OutputUnit unit) {
    if (unit == null) {
      return null;
    }
    OutputUnit best = unit.getError() == null ? null : unit;
    if (unit.getErrors() != null) {
      for (OutputUnit child : unit.getErrors()) {
        OutputUnit d = deepest(child);
        if (d != null && (best == null || DEPTH.compare(d, best) > 0)) {
          best = d;
        }
      }
    }
    return best;
  }

  private static final Comparator<OutputUnit> DEPTH =
      Comparator.comparingInt((OutputUnit u) -> length(u.getInstanceLocation()))
          .thenComparingInt(u -> length(u.getKeywordLocation()));

  private static int length(String location) {
    return location == null ? -1 : location.length();
  }

  private static String method(RoutingContext ctx) {
    return ctx.request().method().name();
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
