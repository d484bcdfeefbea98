package io.stopsign.clips;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Where recordings and clips live under the data directory: {@code recordings/<camera>/} (the
 * recent segments) and {@code clips/<camera>/<pass id>.mp4} with {@code <pass id>.json} beside it
 * ({@link ClipInfo}: how the clip's time maps to capture time). Camera ids are checked by the
 * config (letters, digits, {@code -} and {@code _}), pass ids are UUIDs, so no path leaves the data
 * directory.
 */
public final class ClipFiles {
  public static final String RECORDINGS = "recordings";
  public static final String CLIPS = "clips";

  public static Path recordings(Path dataDir, String camera) {
    return dataDir.resolve(RECORDINGS).resolve(camera);
  }

  public static Path video(Path dataDir, String camera, UUID pass) {
    return dataDir.resolve(CLIPS).resolve(camera).resolve(pass + ".mp4");
  }

  public static Path info(Path dataDir, String camera, UUID pass) {
    return dataDir.resolve(CLIPS).resolve(camera).resolve(pass + ".json");
  }

  /**
   * The clip of a pass when both its video and its facts are on disk (retention may have taken
   * either); links are not followed. Blocking.
   */
  public static Optional<ClipInfo> find(Path dataDir, String camera, UUID pass) {
    Path video = video(dataDir, camera, pass);
    Path info = info(dataDir, camera, pass);
    if (!Files.isRegularFile(video, LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(info, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ClipInfo.fromJson(new JsonObject(Files.readString(info))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // half-deleted or damaged: as good as expired
    }
  }

  private ClipFiles() {}
}
