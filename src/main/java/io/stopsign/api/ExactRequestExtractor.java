package io.stopsign.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Hands the OpenAPI validator each query and path value exactly as the client sent it. The stock
 * extractor of vertx-openapi 5.0 URL-decodes values a second time (an offset sent as %2B02:00 turns
 * into " 02:00") and its transformer reads string parameters that look like JSON as JSON ("-5" and
 * "1726135380.5" become numbers and fail {@code type: string}); so values are taken decoded once
 * from vertx-web, and string values that are not plain words travel as JSON string literals. A
 * request body travels as the bytes the router's BodyHandler read.
 */
final class ExactRequestExtractor implements RequestExtractor {
  private static final Pattern WORD = Pattern.compile("\\w+");
  private static final RequestParameter ABSENT = new Value(null);

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(
      RoutingContext ctx, Operation operation) {
    Map<String, RequestParameter> query = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    for (Parameter p : operation.getParameters()) {
      switch (p.getIn()) {
        case QUERY -> query.put(p.getName(), value(p, ctx.queryParam(p.getName())));
        case PATH -> {
          String v = ctx.pathParam(p.getName());
          path.put(p.getName(), value(p, v == null ? List.of() : List.of(v)));
        }
        default ->
            throw new IllegalStateException(
                "openapi.yaml declares a "
                    + p.getIn()
                    + " parameter; only query and path are read");
      }
    }
    RequestParameter body = ABSENT;
    String contentType = null;
    if (operation.getRequestBody() != null) {
      // read by the router's BodyHandler; an empty body is an absent one
      Buffer buffer = ctx.body().buffer();
      body = buffer == null || buffer.length() == 0 ? ABSENT : new Value(buffer);
      contentType = ctx.request().getHeader("content-type");
    }
    return Future.succeededFuture(new Extracted(query, path, body, contentType));
  }

  private static RequestParameter value(Parameter p, List<String> values) {
    if (values.isEmpty()) {
      return ABSENT;
    }
    if (p.getSchemaType() == SchemaType.ARRAY) {
      // form style, exploded: the transformer expects "name=a&name=b" (our arrays are enums)
      String prefix = p.getName() + "=";
      return new Value(
          values.stream().map(v -> prefix + literal(v)).collect(Collectors.joining("&")));
    }
    String v = values.get(0);
    return new Value(p.getSchemaType() == SchemaType.STRING ? literal(v) : v);
  }

  private static String literal(String v) {
    return WORD.matcher(v).matches() ? v : Json.encode(v);
  }

  private record Value(Object get) implements RequestParameter {}

  private record Extracted(
      Map<String, RequestParameter> query,
      Map<String, RequestParameter> path,
      RequestParameter body,
      String contentType)
      implements ValidatableRequest {
    @Override
    public Map<String, RequestParameter> getCookies() {
      return Map.of();
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return path;
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return query;
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return Map.of();
    }

    @Override
    public RequestParameter getBody() {
      return body;
    }

    @Override
    public String getContentType() {
      return contentType;
    }
  }
}
