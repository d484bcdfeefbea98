package io.stopsign.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1: accepts {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest} and decodes it by the field numbers of the OTLP protos
 * (opentelemetry-proto trace/v1, common/v1, resource/v1), which this project does not otherwise
 * depend on.
 */
public final class OtlpCollector implements AutoCloseable {
  /** One received span; ids in lower-case hex, parent empty for a root. */
  public record ReceivedSpan(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      Map<String, String> attributes,
      Map<String, String> resource,
      int links) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

  public OtlpCollector() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              String type = request.getHeader("content-type");
                              if (!request.path().equals("/v1/traces")
                                  || !"application/x-protobuf".equals(type)) {
                                errors.add(request.method() + " " + request.path() + " " + type);
                                request.response().setStatusCode(404).end();
                                return;
                              }
                              try {
                                decodeRequest(ByteBuffer.wrap(body.getBytes()));
                                request
                                    .response()
                                    .putHeader("content-type", "application/x-protobuf")
                                    .end();
                              } catch (RuntimeException e) {
                                errors.add("undecodable export: " + e);
                                request.response().setStatusCode(400).end();
                              }
                            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  /** The base URL to configure as {@code otel.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** Requests that were not a protobuf trace export, or did not decode. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  // ExportTraceServiceRequest: 1 resource_spans
  private void decodeRequest(ByteBuffer in) {
    while (in.hasRemaining()) {
      int tag = varint(in);
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        decodeResourceSpans(sub(in));
      } else {
        skip(in, tag);
      }
    }
  }

  // ResourceSpans: 1 resource (Resource: 1 attributes), 2 scope_spans (ScopeSpans: 2 spans)
  private void decodeResourceSpans(ByteBuffer in) {
    Map<String, String> resource = new LinkedHashMap<>();
    List<ByteBuffer> scopes = new ArrayList<>();
    while (in.hasRemaining()) {
      int tag = varint(in);
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        ByteBuffer r = sub(in);
        while (r.hasRemaining()) {
          int t = varint(r);
          if (t >>> 3 == 1 && (t & 7) == 2) {
            keyValue(sub(r), resource);
          } else {
            skip(r, t);
          }
        }
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        scopes.add(sub(in));
      } else {
        skip(in, tag);
      }
    }
    for (ByteBuffer scope : scopes) {
      while (scope.hasRemaining()) {
        int tag = varint(scope);
        if (tag >>> 3 == 2 && (tag & 7) == 2) {
          spans.add(span(sub(scope), resource));
        } else {
          skip(scope, tag);
        }
      }
    }
  }

  // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 9 attributes, 13 links
  private static ReceivedSpan span(ByteBuffer in, Map<String, String> resource) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    int links = 0;
    Map<String, String> attributes = new LinkedHashMap<>();
    while (in.hasRemaining()) {
      int tag = varint(in);
      switch (tag >>> 3) {
        case 1 -> traceId = hex(sub(in));
        case 2 -> spanId = hex(sub(in));
        case 4 -> parent = hex(sub(in));
        case 5 -> name = string(sub(in));
        case 6 -> kind = varint(in);
        case 9 -> keyValue(sub(in), attributes);
        case 13 -> {
          sub(in);
          links++;
        }
        default -> skip(in, tag);
      }
    }
    return new ReceivedSpan(traceId, spanId, parent, name, kind, attributes, resource, links);
  }

  // KeyValue: 1 key, 2 value (AnyValue: 1 string, 2 bool, 3 int, 4 double)
  private static void keyValue(ByteBuffer in, Map<String, String> into) {
    String key = "";
    String value = "";
    while (in.hasRemaining()) {
      int tag = varint(in);
      if (tag >>> 3 == 1) {
        key = string(sub(in));
      } else if (tag >>> 3 == 2) {
        ByteBuffer v = sub(in);
        while (v.hasRemaining()) {
          int t = varint(v);
          switch (t >>> 3) {
            case 1 -> value = string(sub(v));
            case 2, 3 -> value = Long.toString(varlong(v));
            case 4 -> value = Double.toString(v.order(ByteOrder.LITTLE_ENDIAN).getDouble());
            default -> skip(v, t);
          }
        }
      } else {
        skip(in, tag);
      }
    }
    into.put(key, value);
  }

  private static ByteBuffer sub(ByteBuffer in) {
    int length = varint(in);
    ByteBuffer slice = in.slice(in.position(), length);
    in.position(in.position() + length);
    return slice;
  }

  private static void skip(ByteBuffer in, int tag) {
    switch (tag & 7) {
      case 0 -> varlong(in);
      case 1 -> in.position(in.position() + 8);
      case 2 -> sub(in);
      case 5 -> in.position(in.position() + 4);
      default -> throw new IllegalArgumentException("wire type " + (tag & 7));
    }
  }

  private static int varint(ByteBuffer in) {
    return (int) varlong(in);
  }

  private static long varlong(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String string(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
