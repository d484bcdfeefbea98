package io.stopsign.ops;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code data_dir/snapshots} and {@code data_dir/clips} each within its {@link DiskConfig}
 * limits: deletes files older than the retention, then the oldest files until the folder is under
 * its size cap, and measures the snapshots, clips, recordings, HLS and spool folders. Snapshots of
 * tracks that never made a pass are not told apart (the analyzer may run without the database);
 * they go by age and cap like the rest. Symbolic links are never followed nor deleted, and nothing
 * outside those two folders is ever deleted. Every method blocks: call it off the event loop.
 */
public final class DiskRetention {
  private static final Logger LOG = LoggerFactory.getLogger(DiskRetention.class);

  /** A file this young may still be being written or referenced by a pass: never deleted. */
  public static final Duration MIN_AGE = Duration.ofMinutes(1);

  private final Path dataDir;
  private final DiskConfig config;
  private final Clock clock;
  private final java.util.Set<String> warnedOutside = new java.util.HashSet<>();

  /**
   * What one sweep did and found.
   *
   * @param deletedByAge snapshot files deleted for being older than the retention
   * @param deletedByCap snapshot files deleted (oldest first) to get under the size cap
   * @param freedBytes bytes of the deleted files
   * @param failed files that could not be deleted
   * @param snapshotBytes bytes left under data_dir/snapshots
   * @param hlsBytes bytes under data_dir/hls
   * @param spoolBytes bytes under data_dir/spool
   * @param clipsDeletedByAge replay clip files deleted for being older than their retention
   * @param clipsDeletedByCap replay clip files deleted (oldest first) to get under their cap
   * @param clipBytes bytes left under data_dir/clips
   * @param recordingBytes bytes under data_dir/recordings (kept for clips, pruned as they record)
   */
  public record Sweep(
      int deletedByAge,
      int deletedByCap,
      long freedBytes,
      int failed,
      long snapshotBytes,
      long hlsBytes,
      long spoolBytes,
      int clipsDeletedByAge,
      int clipsDeletedByCap,
      long clipBytes,
      long recordingBytes) {
    /** Snapshot files deleted. */
    public int deleted() {
      return deletedByAge + deletedByCap;
    }

    public int clipsDeleted() {
      return clipsDeletedByAge + clipsDeletedByCap;
    }
  }

  private record Entry(Path path, long size, Instant modified) {}

  public DiskRetention(Path dataDir, DiskConfig config, Clock clock) {
    this.dataDir = dataDir;
    this.config = config;
    this.clock = clock;
  }

  /** Deletes what the retentions and the caps allow, then measures. */
  public Sweep sweep() {
    Kept snapshots =
        sweepFolder("snapshots", config.snapshotRetentionDays(), config.snapshotMaxBytes());
    Kept clips = sweepFolder("clips", config.clipRetentionDays(), config.clipMaxBytes());
    return new Sweep(
        snapshots.byAge,
        snapshots.byCap,
        snapshots.freed + clips.freed,
        snapshots.failed + clips.failed,
        snapshots.remaining,
        bytesUnder("hls"),
        bytesUnder("spool"),
        clips.byAge,
        clips.byCap,
        clips.remaining,
        bytesUnder("recordings"));
  }

  /** What one folder's sweep did. */
  private static final class Kept {
    int byAge;
    int byCap;
    long freed;
    int failed;
    long remaining;
  }

  /**
   * Deletes files under data_dir/{@code folder} past {@code days}, then the oldest over the cap.
   */
  private Kept sweepFolder(String folder, int days, long cap) {
    Kept k = new Kept();
    Path root = folderRoot(folder);
    if (root == null) {
      return k;
    }
    List<Entry> files = regularFiles(root);
    files.sort(Comparator.comparing(Entry::modified));
    Instant now = clock.instant();
    Instant youngest = now.minus(MIN_AGE);
    Instant cutoff = days == 0 ? Instant.MIN : now.minus(Duration.ofDays(days));
    List<Entry> kept = new ArrayList<>();
    for (Entry e : files) {
      if (e.modified().isBefore(cutoff) && e.modified().isBefore(youngest)) {
        if (delete(root, e)) {
          k.byAge++;
          k.freed += e.size();
        } else {
          k.failed++;
          kept.add(e);
        }
      } else {
        kept.add(e);
      }
    }
    k.remaining = kept.stream().mapToLong(Entry::size).sum();
    for (int i = 0; cap > 0 && k.remaining > cap && i < kept.size(); i++) {
      Entry e = kept.get(i);
      if (!e.modified().isBefore(youngest)) {
        break; // the rest is younger still
      }
      if (delete(root, e)) {
        k.byCap++;
        k.freed += e.size();
        k.remaining -= e.size();
      } else {
        k.failed++;
      }
    }
    return k;
  }

  /** The folder, or null when absent or when it leads out of the data directory. */
  private Path folderRoot(String folder) {
    try {
      if (!Files.isDirectory(dataDir)) {
        return null;
      }
      Path base = dataDir.toRealPath();
      Path dir = base.resolve(folder);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      Path real = dir.toRealPath();
      if (!real.startsWith(base) || real.equals(base) || !Files.isDirectory(real)) {
        if (warnedOutside.add(folder)) {
          LOG.warn(
              "disk: {} leads to {}, outside the data directory: {} are not swept",
              dir,
              real,
              folder);
        }
        return null;
      }
      return real;
    } catch (IOException e) {
      LOG.warn("disk: {} folder under {} unreadable: {}", folder, dataDir, e.toString());
      return null;
    }
  }

  /** Regular files under {@code root}; links (and whatever they point to) are skipped. */
  private static List<Entry> regularFiles(Path root) {
    List<Entry> out = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          EnumSet.noneOf(FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                out.add(new Entry(file, attrs.size(), attrs.lastModifiedTime().toInstant()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult
                  .CONTINUE; // deleted meanwhile, or unreadable: not ours to judge
            }
          });
    } catch (IOException e) {
      LOG.warn("disk: cannot list {}: {}", root, e.toString());
    }
    return out;
  }

  /** Bytes of the regular files under data_dir/{@code folder}, without following links out. */
  private long bytesUnder(String folder) {
    Path dir = dataDir.resolve(folder);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    return regularFiles(dir).stream().mapToLong(Entry::size).sum();
  }

  /** Deletes one file, re-checking that it still lies inside the swept folder and is no link. */
  private static boolean delete(Path root, Entry e) {
    try {
      if (Files.isSymbolicLink(e.path()) || !e.path().toRealPath().startsWith(root)) {
        return false;
      }
      Files.delete(e.path());
      return true;
    } catch (NoSuchFileException gone) {
      return true; // someone else removed it: the space is free all the same
    } catch (IOException ex) {
      LOG.debug("disk: cannot delete {}: {}", e.path(), ex.toString());
      return false;
    }
  }
}
