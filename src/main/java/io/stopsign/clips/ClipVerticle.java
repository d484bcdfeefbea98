package io.stopsign.clips;

import io.micrometer.core.instrument.Counter;
import io.stopsign.bus.Addresses;
import io.stopsign.bus.JsonMessage;
import io.stopsign.judge.PassEvent;
import io.stopsign.ops.Meters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the replay clip of each pass of this JVM's cameras: hears the passes published on {@link
 * Addresses#PASSES_LIVE} by this node only (the recordings are on its disk), waits until the
 * recording reaches {@code exit + post_seconds} (or gives up waiting and cuts what there is), then
 * joins the segments covering {@code [entry - pre_seconds, exit + post_seconds]} into {@code
 * clips/<camera>/<pass id>.mp4} on a worker, one clip at a time. Counts {@code
 * stopsign_clips_total{result}}.
 */
public final class ClipVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ClipVerticle.class);
  private static final long POLL_MS = 1_000;
  // beyond this the recording is not coming (camera gone, HLS off): cut what there is
  private static final int EXTRA_POLLS = 15;

  private static final Map<String, Counter> RESULTS =
      Map.of(
          "cut", result("cut"),
          "no_video", result("no_video"),
          "failed", result("failed"));

  private final Path dataDir;
  private final ClipConfig config;
  private MessageConsumer<Object> consumer;

  public ClipVerticle(Path dataDir, ClipConfig config) {
    this.dataDir = dataDir;
    this.config = config;
  }

  private static Counter result(String result) {
    return Counter.builder("stopsign_clips")
        .description("Replay clips cut around passes, by result")
        .tag("result", result)
        .register(Meters.registry());
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(Addresses.PASSES_LIVE, this::onPass);
    return consumer.completion();
  }

  private void onPass(Message<Object> message) {
    PassEvent pass;
    try {
      pass =
          message.body() instanceof PassEvent p
              ? p
              : PassEvent.fromJson(JsonMessage.jsonOf(message.body()));
    } catch (RuntimeException e) {
      LOG.debug("not a pass on {}: {}", Addresses.PASSES_LIVE, e.toString());
      return;
    }
    attempt(pass, 0);
  }

  private void attempt(PassEvent pass, int polls) {
    boolean last = polls >= Math.ceil(config.postSeconds()) + EXTRA_POLLS;
    context
        .executeBlocking(() -> cutWhenRecorded(pass, last), true)
        .onSuccess(
            done -> {
              if (!done) {
                vertx.setTimer(POLL_MS, id -> attempt(pass, polls + 1));
              }
            })
        .onFailure(
            e -> {
              RESULTS.get("failed").increment();
              LOG.warn("{} clip of pass {} failed: {}", pass.camera(), pass.id(), e.getMessage());
            });
  }

  /**
   * False while the recording has not yet reached the clip's end (and this is not the last try).
   */
  private boolean cutWhenRecorded(PassEvent pass, boolean last) throws IOException {
    double from = pass.entryTsUtc() - config.preSeconds();
    double to = pass.tsUtc() + config.postSeconds();
    List<RecordedSegment> recorded = recorded(pass.camera());
    boolean reached = recorded.stream().anyMatch(s -> s.endUtc() >= to);
    if (!reached && !last) {
      return false;
    }
    List<RecordedSegment> run =
        ClipPlan.choose(recorded, from, to, pass.entryTsUtc(), pass.tsUtc());
    if (run.isEmpty()) {
      RESULTS.get("no_video").increment();
      LOG.info("{} pass {}: no recorded video for its clip", pass.camera(), pass.id());
      return true;
    }
    Path video = ClipFiles.video(dataDir, pass.camera(), pass.id());
    ClipInfo info = ClipCutter.cut(run, video);
    Path facts = ClipFiles.info(dataDir, pass.camera(), pass.id());
    Path tmp = facts.resolveSibling("." + facts.getFileName() + ".tmp");
    Files.writeString(tmp, info.toJson().encode(), StandardCharsets.UTF_8);
    Files.move(tmp, facts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    RESULTS.get("cut").increment();
    LOG.debug(
        "{} pass {}: clip of {} s from {} segments",
        pass.camera(),
        pass.id(),
        String.format(Locale.ROOT, "%.1f", info.seconds()),
        run.size());
    return true;
  }

  private List<RecordedSegment> recorded(String camera) throws IOException {
    Path dir = ClipFiles.recordings(dataDir, camera);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(RecordedSegment::parse).flatMap(java.util.Optional::stream).toList();
    }
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
