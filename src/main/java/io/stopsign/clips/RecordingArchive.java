package io.stopsign.clips;

import io.stopsign.hls.SegmentListener;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the recent HLS segments of one camera under {@code data_dir/recordings/<camera>/} for
 * {@code keep}: each finished segment is hard-linked there (copied where links are refused), so the
 * live window may delete its own name, and a segment older than {@code keep} behind the newest is
 * deleted. Runs on the decode thread; its failures are logged and never stop decoding or HLS.
 */
public final class RecordingArchive implements SegmentListener {
  private static final Logger LOG = LoggerFactory.getLogger(RecordingArchive.class);

  private final String camera;
  private final Path dir;
  private final double keepSeconds;
  private final ArrayDeque<RecordedSegment> kept = new ArrayDeque<>();
  private boolean opened;
  private boolean warned;

  public RecordingArchive(String camera, Path dir, Duration keep) {
    this.camera = camera;
    this.dir = dir;
    this.keepSeconds = keep.toMillis() / 1000.0;
  }

  @Override
  public void finished(Finished s) {
    try {
      open();
      Path target =
          dir.resolve(
              RecordedSegment.name(
                  s.startUtc(), s.seconds(), s.sourceWidth(), s.sourceHeight(), s.discontinuity()));
      keep(s.file(), target);
      RecordedSegment.parse(target).ifPresent(kept::addLast);
      prune(s.startUtc() - keepSeconds);
      warned = false;
    } catch (IOException e) {
      if (!warned) {
        warned = true;
        LOG.warn("{} recording for replay clips failed: {}", camera, e.toString());
      }
    }
  }

  /** Picks up what an earlier run left, so that it is pruned by age like the rest. */
  private void open() throws IOException {
    if (opened) {
      return;
    }
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      List<RecordedSegment> earlier =
          files
              .map(RecordedSegment::parse)
              .flatMap(java.util.Optional::stream)
              .sorted(java.util.Comparator.comparingDouble(RecordedSegment::startUtc))
              .toList();
      kept.addAll(earlier);
    }
    opened = true;
  }

  private static void keep(Path segment, Path target) throws IOException {
    try {
      Files.createLink(target, segment);
    } catch (FileAlreadyExistsException e) {
      Files.delete(target);
      Files.createLink(target, segment);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(segment, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void prune(double olderThanUtc) throws IOException {
    while (!kept.isEmpty() && kept.peekFirst().endUtc() < olderThanUtc) {
      Files.deleteIfExists(kept.removeFirst().file());
    }
  }
}
