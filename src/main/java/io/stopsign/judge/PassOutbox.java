package io.stopsign.judge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyzer's disk copy of the passes persistence has not acknowledged yet: one JSON file per
 * pass under {@code data_dir/outbox/<camera>/}, written before the pass is sent and deleted when it
 * is acknowledged, so a restart of the analyzer or of persistence loses none. Passes are stored
 * under ids derived from camera, run and track, so sending one twice stores it once.
 */
final class PassOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(PassOutbox.class);

  private final Vertx vertx;
  private final Path dir;

  PassOutbox(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /** Writes the pass (whole file or nothing: written aside, then moved into place). */
  Future<Void> keep(UUID id, JsonObject json) {
    return vertx.executeBlocking(
        () -> {
          Files.createDirectories(dir);
          Path aside = dir.resolve(id + ".json.tmp");
          Files.writeString(aside, json.encode(), StandardCharsets.UTF_8);
          Files.move(
              aside,
              dir.resolve(id + ".json"),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          return null;
        },
        false);
  }

  /** Forgets an acknowledged pass. */
  void drop(UUID id) {
    vertx
        .executeBlocking(
            () -> {
              try {
                Files.delete(dir.resolve(id + ".json"));
              } catch (NoSuchFileException gone) {
                // acknowledged before its copy was written, or twice
              }
              return null;
            },
            false)
        .onFailure(e -> LOG.warn("outbox {}: pass {} not deleted: {}", dir, id, e.getMessage()));
  }

  /** Passes left by an earlier run (a file that cannot be read is set aside, named in the log). */
  Future<List<PassEvent>> load() {
    return load(Duration.ZERO);
  }

  /** The stored passes written at least {@code minAge} ago (younger ones are still in flight). */
  Future<List<PassEvent>> load(Duration minAge) {
    return vertx.executeBlocking(
        () -> {
          List<PassEvent> passes = new ArrayList<>();
          if (!Files.isDirectory(dir)) {
            return passes;
          }
          long newest = System.currentTimeMillis() - minAge.toMillis();
          try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
              try {
                if (!minAge.isZero() && Files.getLastModifiedTime(file).toMillis() > newest) {
                  continue;
                }
                passes.add(
                    PassEvent.fromJson(
                        new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
              } catch (NoSuchFileException acknowledged) {
                // deleted since the listing: its pass was acknowledged meanwhile
              } catch (IOException | RuntimeException e) {
                LOG.error("outbox {}: unreadable pass file set aside: {}", file, e.getMessage());
                Files.move(file, file.resolveSibling(file.getFileName() + ".bad"));
              }
            }
          }
          return passes;
        },
        false);
  }
}
