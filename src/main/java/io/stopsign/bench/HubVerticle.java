package io.stopsign.bench;

import io.stopsign.broadcast.BroadcastFeed;
import io.stopsign.broadcast.WebSocketHub;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.Set;

/**
 * The service's WebSocket hub and bus feed behind a plain HTTP server on 127.0.0.1 (any free port):
 * the live path from the metadata address to WebSocket clients, without the API and database.
 */
final class HubVerticle extends VerticleBase {
  private final String camera;
  private final int clientQueue;
  private WebSocketHub hub;
  private BroadcastFeed feed;
  private HttpServer server;

  HubVerticle(String camera, int clientQueue) {
    this.camera = camera;
    this.clientQueue = clientQueue;
  }

  @Override
  public Future<?> start() {
    hub = new WebSocketHub(clientQueue, Integer.MAX_VALUE, Integer.MAX_VALUE, 3600);
    feed = new BroadcastFeed(List.of(camera), hub);
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .webSocketHandler(socket -> hub.accept(socket, Set.of()));
    return feed.start(vertx).compose(v -> server.listen());
  }

  @Override
  public Future<?> stop() {
    hub.close();
    return feed.stop().compose(v -> server.close());
  }

  int port() {
    return server.actualPort();
  }

  /** Messages dropped so far for the client with this id (the n-th to connect has id n). */
  long droppedFor(String clientId) {
    return hub.droppedFor(clientId);
  }

  int clients() {
    return hub.clientCount();
  }
}
