package io.stopsign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.testing.Fixtures;
import io.stopsign.testing.ReadyChecks;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error budget in /ready against real damage: a camera replaying a clip with flipped bytes in
 * its pictures (real FFmpeg decode failing on some packets), once with a budget below its failure
 * share and once above it.
 */
class ErrorBudgetReadyTest {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "a damaged stream fails /ready's error_budget.cam1 under a tight budget and passes under a loose one, the failed frames counted both times")
  void bothSidesOfTheBudget() throws Exception {
    Path damaged = damagedClip();
    JsonObject over =
        run(damaged, 0.001, c -> "DOWN".equals(c.getString("status")), "DOWN over the budget");
    JsonObject data = over.getJsonObject("data");
    System.out.printf(
        "error budget 0.1 %%: DOWN '%s' after %.1f s%n", data.getString("reason"), seconds);
    assertThat(data.getString("reason")).matches("\\d+ of \\d+ frames failed in the last 60 s .*");
    double share = data.getDouble("share");
    assertThat(share).isGreaterThan(0.001);

    JsonObject under =
        run(
            damaged,
            0.9,
            c ->
                "UP".equals(c.getString("status"))
                    && c.getJsonObject("data").getLong("failed") > 0
                    && c.getJsonObject("data").getLong("frames") >= 30,
            "UP with failures counted");
    System.out.printf(
        "error budget 90 %%: UP with %s (share in the tight run: %.3f)%n",
        under.getJsonObject("data").encode(), share);
    assertThat(under.getJsonObject("data").getDouble("share")).isLessThanOrEqualTo(0.9);
  }

  private double seconds;

  private JsonObject run(Path clip, double budget, Predicate<JsonObject> wanted, String what)
      throws Exception {
    Path data = Files.createDirectories(dir.resolve("data-" + budget));
    Path file = dir.resolve("stopsign-" + budget + ".yaml");
    Files.writeString(
        file,
        ("http: {port: 0}\ndata_dir: %s\nroles: [analyzer]\n"
                + "model: {path: %s, family: fastestdet}\nwatchdog: {error_budget: %s}\n"
                + "cameras:\n  - id: cam1\n    source: %s\n    loop: true\n")
            .formatted(data, Fixtures.path("models/fastestdet.onnx"), budget, clip));
    StopSignConfig config = ConfigLoader.load(file, null, Map.of(), new Properties());
    long started = System.nanoTime();
    Service service =
        Service.start(config).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    try {
      JsonObject check =
          ReadyChecks.await(
              service.httpPort(), "error_budget.cam1", wanted, Duration.ofMinutes(4), what);
      seconds = (System.nanoTime() - started) / 1e9;
      return check;
    } finally {
      service.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }
  }

  /** highway-720p.mp4 (moov first) with 16-byte bursts flipped every 4 KB of its pictures. */
  private Path damagedClip() throws Exception {
    byte[] clean = Files.readAllBytes(Fixtures.path("media/highway-720p.mp4"));
    ByteBuffer b = ByteBuffer.wrap(clean);
    int at = 0;
    long start = -1;
    long end = -1;
    while (at + 8 <= clean.length) {
      long size = Integer.toUnsignedLong(b.getInt(at));
      if (new String(clean, at + 4, 4, StandardCharsets.US_ASCII).equals("mdat")) {
        start = at + 8;
        end = at + size;
        break;
      }
      at += (int) size;
    }
    assertThat(start).as("mdat box").isPositive();
    byte[] broken = Arrays.copyOf(clean, clean.length);
    for (long i = start + (end - start) / 10; i < end; i += 4001) {
      for (int k = 0; k < 16 && i + k < end; k++) {
        broken[(int) (i + k)] ^= (byte) 0xA5;
      }
    }
    Path file = dir.resolve("flipped.mp4");
    Files.write(file, broken);
    return file;
  }
}
