package io.stopsign.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document (served as written, and parsed for the contract) and Swagger UI from its
 * WebJar with an index page of ours that points it at {@code openapi.yaml}.
 */
final class ApiDocs {
  static final String CONTRACT = "openapi.yaml";
  private static final String PAGES = "io/stopsign/api/docs/";
  private static final String SWAGGER_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  private static final String SWAGGER_ROOT = "META-INF/resources/webjars/swagger-ui/";

  private final Buffer yaml;
  private final JsonObject contract;
  private final Buffer index;
  private final Buffer init;
  private final String swaggerVersion;

  private ApiDocs(
      Buffer yaml, JsonObject contract, Buffer index, Buffer init, String swaggerVersion) {
    this.yaml = yaml;
    this.contract = contract;
    this.index = index;
    this.init = init;
    this.swaggerVersion = swaggerVersion;
  }

  /** Reads everything from the classpath. Blocking. */
  static ApiDocs load() throws IOException {
    byte[] yaml = resource(CONTRACT);
    Object tree =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(new String(yaml, StandardCharsets.UTF_8));
    // Through JSON text so that nested maps and lists become JsonObject and JsonArray.
    JsonObject contract = new JsonObject(Json.encode(tree));
    Properties swagger = new Properties();
    try (InputStream in = new ByteArrayInputStream(resource(SWAGGER_POM))) {
      swagger.load(in);
    }
    return new ApiDocs(
        Buffer.buffer(yaml),
        contract,
        Buffer.buffer(resource(PAGES + "index.html")),
        Buffer.buffer(resource(PAGES + "init.js")),
        swagger.getProperty("version"));
  }

  /**
   * The document adapted to what vertx-openapi 5.0 accepts; the served document stays as written.
   * Server URLs must be absolute there: the relative {@code /api} clients see (right behind any
   * host) becomes an absolute one with the same path. Responses may not be images there: their
   * media types are dropped (only requests are validated). Security requirements are dropped: the
   * token and the session cookie are checked by the web layer before any API route.
   */
  JsonObject contract() {
    return forVertx(contract);
  }

  static JsonObject forVertx(JsonObject document) {
    JsonObject copy = document.copy();
    copy.remove("security");
    JsonObject components = copy.getJsonObject("components");
    if (components != null) {
      components.remove("securitySchemes");
    }
    for (Object path : copy.getJsonObject("paths", new JsonObject())) {
      for (Object operation : children(((Map.Entry<?, ?>) path).getValue())) {
        asMap(operation).remove("security");
        for (Object response : children(asMap(operation).get("responses"))) {
          Object content = asMap(response).get("content");
          if (content != null) {
            asMap(content).keySet().removeIf(type -> !type.startsWith("application/json"));
          }
        }
      }
    }
    JsonArray servers = new JsonArray();
    for (Object server : copy.getJsonArray("servers", new JsonArray())) {
      JsonObject s = ((JsonObject) server).copy();
      if (s.getString("url", "").startsWith("/")) {
        s.put("url", "http://localhost" + s.getString("url"));
      }
      servers.add(s);
    }
    return copy.put("servers", servers);
  }

  /** The mapping values of a JSON node: operations of a path, responses of an operation. */
  private static List<Object> children(Object node) {
    if (!(node instanceof JsonObject) && !(node instanceof Map)) {
      return List.of();
    }
    return asMap(node).values().stream()
        .filter(v -> v instanceof JsonObject || v instanceof Map)
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object node) {
    return node instanceof JsonObject json ? json.getMap() : (Map<String, Object>) node;
  }

  /** GET /openapi.yaml, GET /docs (Swagger UI). */
  void mount(Router router) {
    router.get("/" + CONTRACT).handler(ctx -> send(ctx, "application/yaml; charset=utf-8", yaml));
    router.get("/docs/").handler(ctx -> send(ctx, "text/html; charset=utf-8", index));
    // "/docs" also matches "/docs/": only the bare one is redirected, so relative asset URLs
    // resolve
    router
        .get("/docs")
        .handler(
            ctx -> {
              String path = ctx.request().path();
              if (path.endsWith("/")) {
                send(ctx, "text/html; charset=utf-8", index);
              } else {
                ctx.redirect(path + "/");
              }
            });
    router.get("/docs/index.html").handler(ctx -> send(ctx, "text/html; charset=utf-8", index));
    router
        .get("/docs/stopsign-init.js")
        .handler(ctx -> send(ctx, "text/javascript; charset=utf-8", init));
    router
        .get("/docs/*")
        .handler(StaticHandler.create(SWAGGER_ROOT + swaggerVersion).setIndexPage("none"));
  }

  private static void send(RoutingContext ctx, String type, Buffer body) {
    ctx.response().putHeader("content-type", type).putHeader("cache-control", "no-cache").end(body);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is missing from the classpath");
      }
      return in.readAllBytes();
    }
  }
}
