package io.stopsign.api;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** For test classes whose tests share one API server on the test database, with its data dir. */
@ExtendWith(VertxExtension.class)
abstract class ApiPerClass {
  @TempDir static Path root;
  static Path dataDir;
  static ApiHarness api;

  @BeforeAll
  static void startApi(Vertx vertx) throws Exception {
    dataDir = Files.createDirectories(root.resolve("data"));
    api = ApiHarness.start(vertx, Map.of("data_dir", dataDir.toString()));
  }

  @AfterAll
  static void stopApi() {
    if (api != null) {
      api.close();
      api = null;
    }
  }
}
