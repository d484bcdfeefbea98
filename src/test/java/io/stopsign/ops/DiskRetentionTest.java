package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskRetentionTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final int KB = 1024;

  @TempDir Path dataDir;
  @TempDir Path outside;

  /** A file of {@code size} bytes under the data directory, last modified {@code age} ago. */
  static Path file(Path dir, String rel, int size, Duration age) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[size]);
    Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
    return p;
  }

  private DiskRetention.Sweep sweep(int days, int maxMb) {
    return new DiskRetention(dataDir, new DiskConfig(days, maxMb, 5), CLOCK).sweep();
  }

  @Test
  @DisplayName("snapshots older than the retention are deleted; newer ones and other folders stay")
  void ageRetention() throws IOException {
    Path old = file(dataDir, "snapshots/cam1/old.jpg", 3 * KB, Duration.ofDays(31));
    Path oldOther = file(dataDir, "snapshots/cam2/old.jpg", 2 * KB, Duration.ofDays(40));
    Path recent = file(dataDir, "snapshots/cam1/recent.jpg", 5 * KB, Duration.ofDays(29));
    Path oldSegment = file(dataDir, "hls/cam1/seg1.ts", 7 * KB, Duration.ofDays(90));
    Path oldSpool = file(dataDir, "spool/persist.spool", 11 * KB, Duration.ofDays(90));

    DiskRetention.Sweep s = sweep(30, 0);

    assertThat(old).doesNotExist();
    assertThat(oldOther).doesNotExist();
    assertThat(recent).exists();
    assertThat(oldSegment).exists();
    assertThat(oldSpool).exists();
    assertThat(s.deletedByAge()).isEqualTo(2);
    assertThat(s.deletedByCap()).isZero();
    assertThat(s.freedBytes()).isEqualTo(5 * KB);
    assertThat(s.snapshotBytes()).isEqualTo(5 * KB);
    assertThat(s.hlsBytes()).isEqualTo(7 * KB);
    assertThat(s.spoolBytes()).isEqualTo(11 * KB);
  }

  @Test
  @DisplayName("above the size cap the oldest snapshots go first, until the folder is under it")
  void sizeCapOldestFirst() throws IOException {
    Path[] files = new Path[5];
    for (int i = 0; i < 5; i++) {
      // f0 is the oldest (5 h), f4 the newest (1 h), spread over two cameras
      files[i] =
          file(
              dataDir,
              "snapshots/cam" + (i % 2) + "/f" + i + ".jpg",
              400 * KB,
              Duration.ofHours(5 - i));
    }

    DiskRetention.Sweep s = sweep(30, 1);

    assertThat(files[0]).doesNotExist();
    assertThat(files[1]).doesNotExist();
    assertThat(files[2]).doesNotExist();
    assertThat(files[3]).exists();
    assertThat(files[4]).exists();
    assertThat(s.deletedByCap()).isEqualTo(3);
    assertThat(s.snapshotBytes()).isEqualTo(800L * KB).isLessThanOrEqualTo(1024L * KB);
    assertThat(s.freedBytes()).isEqualTo(1200L * KB);
  }

  @Test
  @DisplayName("a snapshot younger than a minute is spared even over the cap (it may be in use)")
  void youngFilesSpared() throws IOException {
    Path old = file(dataDir, "snapshots/cam1/old.jpg", 700 * KB, Duration.ofMinutes(10));
    Path young = file(dataDir, "snapshots/cam1/young.jpg", 700 * KB, Duration.ofSeconds(20));
    Path younger = file(dataDir, "snapshots/cam1/younger.jpg", 700 * KB, Duration.ofSeconds(5));

    DiskRetention.Sweep s = sweep(30, 1);

    assertThat(old).doesNotExist();
    assertThat(young).exists();
    assertThat(younger).exists();
    assertThat(s.deletedByCap()).isEqualTo(1);
    assertThat(s.snapshotBytes()).isEqualTo(1400L * KB);
  }

  @Test
  @DisplayName("retention 0 and cap 0 keep every snapshot forever")
  void zeroKeepsForever() throws IOException {
    Path ancient = file(dataDir, "snapshots/cam1/ancient.jpg", 600 * KB, Duration.ofDays(3650));
    Path other = file(dataDir, "snapshots/cam1/other.jpg", 600 * KB, Duration.ofDays(400));

    DiskRetention.Sweep s = sweep(0, 0);

    assertThat(ancient).exists();
    assertThat(other).exists();
    assertThat(s.deleted()).isZero();
    assertThat(s.snapshotBytes()).isEqualTo(1200L * KB);
  }

  @Test
  @DisplayName("links out of the data directory are neither followed, counted nor deleted")
  void linksNotFollowed() throws IOException {
    Path outsideFile = file(outside, "cam9/precious.jpg", 9 * KB, Duration.ofDays(400));
    Path outsideLone = file(outside, "lone.jpg", 4 * KB, Duration.ofDays(400));
    Files.createDirectories(dataDir.resolve("snapshots/cam1"));
    Path dirLink =
        Files.createSymbolicLink(dataDir.resolve("snapshots/cam9"), outside.resolve("cam9"));
    Path fileLink =
        Files.createSymbolicLink(dataDir.resolve("snapshots/cam1/link.jpg"), outsideLone);
    Path old = file(dataDir, "snapshots/cam1/old.jpg", 3 * KB, Duration.ofDays(400));

    DiskRetention.Sweep s = sweep(30, 0);

    assertThat(old).doesNotExist();
    assertThat(outsideFile).exists();
    assertThat(outsideLone).exists();
    assertThat(dirLink).isSymbolicLink();
    assertThat(fileLink).isSymbolicLink();
    assertThat(s.deletedByAge()).isEqualTo(1);
    assertThat(s.snapshotBytes()).isZero();
  }

  @Test
  @DisplayName("a snapshots folder that is a link out of the data directory is not swept at all")
  void snapshotsFolderLinkedOutside() throws IOException {
    Path outsideFile = file(outside, "cam1/precious.jpg", 9 * KB, Duration.ofDays(400));
    Files.createSymbolicLink(dataDir.resolve("snapshots"), outside);

    DiskRetention.Sweep s = sweep(1, 0);

    assertThat(outsideFile).exists();
    assertThat(s.deleted()).isZero();
    assertThat(s.snapshotBytes()).isZero();
  }

  @Test
  @DisplayName("a missing data directory or snapshots folder is an empty sweep, not an error")
  void missingFolders() {
    DiskRetention.Sweep s =
        new DiskRetention(dataDir.resolve("nope"), DiskConfig.DEFAULTS, CLOCK).sweep();
    assertThat(s.deleted()).isZero();
    assertThat(s.snapshotBytes() + s.hlsBytes() + s.spoolBytes()).isZero();
    assertThat(sweep(30, 2048).deleted()).isZero();
  }
}
