package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.media.Frame;
import io.stopsign.media.InputGeometry;
import io.stopsign.media.SourceException;
import io.stopsign.testing.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An HTTP source: the road clip served by a real HTTP server on 127.0.0.1 (with range requests).
 */
class HttpSourceTest {
  private static final InputGeometry GEOMETRY = new InputGeometry(640, 640, true);
  private Vertx vertx;
  private int port;

  @BeforeEach
  void serve() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .route("/media/*")
        .handler(
            StaticHandler.create(
                    io.vertx.ext.web.handler.FileSystemAccess.ROOT,
                    Fixtures.path("media").toAbsolutePath().toString())
                .setCachingEnabled(false));
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("an http:// URL decodes like the file: 1280x720 scaled once, timestamps 33 ms apart")
  void decodesOverHttp() throws Exception {
    SourceSpec spec = SourceSpec.parse("http://127.0.0.1:" + port + "/media/road-cars-720p30.mp4");
    try (FrameSource source =
        FrameSource.open(SourceOptions.of(spec, "cam1", GEOMETRY).withUnpaced(true), null)) {
      double previous = Double.NaN;
      for (int i = 0; i < 60; i++) {
        Frame frame = source.next();
        assertThat(frame).isNotNull();
        assertThat(frame.rawWidth()).isEqualTo(1280);
        assertThat(frame.rawHeight()).isEqualTo(720);
        assertThat(frame.width()).isEqualTo(640);
        assertThat(frame.height()).isEqualTo(360);
        if (!Double.isNaN(previous)) {
          assertThat(frame.tsUtc() - previous).isBetween(0.030, 0.037);
        }
        previous = frame.tsUtc();
        frame.release();
      }
    }
  }

  @Test
  @DisplayName("a 404 over HTTP is a clear source error, not a crash")
  void missingOverHttp() {
    SourceSpec spec = SourceSpec.parse("http://127.0.0.1:" + port + "/media/nope.mp4");
    assertThatThrownBy(() -> FrameSource.open(SourceOptions.of(spec, "cam1", GEOMETRY), null))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("404");
  }
}
