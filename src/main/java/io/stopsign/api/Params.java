package io.stopsign.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The parameters of a request as validated against openapi.yaml; absent ones read as defaults. */
final class Params {
  private final Map<String, RequestParameter> query;
  private final Map<String, RequestParameter> path;
  private final RequestParameter body;

  private Params(
      Map<String, RequestParameter> query,
      Map<String, RequestParameter> path,
      RequestParameter body) {
    this.query = query;
    this.path = path;
    this.body = body;
  }

  static Params of(RoutingContext ctx) {
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    if (validated == null) {
      return new Params(Map.of(), Map.of(), null);
    }
    return new Params(validated.getQuery(), validated.getPathParameters(), validated.getBody());
  }

  String string(String name) {
    RequestParameter p = query.get(name);
    return p == null || p.isNull() ? null : String.valueOf(p.get());
  }

  int integer(String name, int fallback) {
    RequestParameter p = query.get(name);
    return p == null || p.isNull() ? fallback : p.getInteger();
  }

  List<String> strings(String name) {
    RequestParameter p = query.get(name);
    if (p == null || p.isNull()) {
      return List.of();
    }
    if (p.get() instanceof JsonArray array) {
      List<String> out = new ArrayList<>();
      array.forEach(v -> out.add(String.valueOf(v)));
      return out;
    }
    return List.of(String.valueOf(p.get()));
  }

  /** The JSON object body as validated; empty when there is none. */
  JsonObject body() {
    return body != null && body.isJsonObject() ? body.getJsonObject() : new JsonObject();
  }

  /** A path parameter as text (the contract checks its shape); empty when absent. */
  String pathString(String name) {
    RequestParameter p = path.get(name);
    return p == null || p.isNull() ? "" : String.valueOf(p.get());
  }

  /** The pass id from the path; the contract checks its shape, this turns it into a UUID. */
  UUID passId() {
    RequestParameter p = path.get("id");
    String raw = p == null || p.isNull() ? "" : String.valueOf(p.get());
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "bad_id", "id must be a UUID such as 0b8e6f1c-3d2a-4e5f-9a7b-1c2d3e4f5a6b.");
    }
  }
}
