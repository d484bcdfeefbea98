package io.stopsign.ops;

import static io.stopsign.ops.DiskRetentionTest.CLOCK;
import static io.stopsign.ops.DiskRetentionTest.KB;
import static io.stopsign.ops.DiskRetentionTest.file;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay clips under data_dir/clips kept within disk.clip_retention_days and disk.clip_max_mb. */
class ClipRetentionTest {
  @TempDir Path dataDir;

  private DiskRetention.Sweep sweep(int clipDays, int clipMaxMb) {
    return new DiskRetention(dataDir, new DiskConfig(30, 0, 5, clipDays, clipMaxMb), CLOCK).sweep();
  }

  @Test
  @DisplayName(
      "clips past their own retention go (video and facts), snapshots keep theirs, recordings are only measured")
  void clipRetention() throws IOException {
    Path oldClip = file(dataDir, "clips/cam1/a.mp4", 30 * KB, Duration.ofDays(8));
    Path oldFacts = file(dataDir, "clips/cam1/a.json", 1 * KB, Duration.ofDays(8));
    Path newClip = file(dataDir, "clips/cam1/b.mp4", 20 * KB, Duration.ofDays(6));
    Path snapshot = file(dataDir, "snapshots/cam1/a.jpg", 4 * KB, Duration.ofDays(8));
    Path recording =
        file(dataDir, "recordings/cam1/1-1000-1280x720.ts", 9 * KB, Duration.ofDays(9));

    DiskRetention.Sweep s = sweep(7, 0);

    assertThat(oldClip).doesNotExist();
    assertThat(oldFacts).doesNotExist();
    assertThat(newClip).exists();
    assertThat(snapshot).exists();
    assertThat(recording).exists();
    assertThat(s.clipsDeletedByAge()).isEqualTo(2);
    assertThat(s.deleted()).as("snapshots deleted").isZero();
    assertThat(s.clipBytes()).isEqualTo(20 * KB);
    assertThat(s.recordingBytes()).isEqualTo(9 * KB);
    assertThat(s.freedBytes()).isEqualTo(31 * KB);
  }

  @Test
  @DisplayName("above clip_max_mb the oldest clips go first; 0 days keeps clips forever")
  void clipCap() throws IOException {
    Path[] clips = new Path[4];
    for (int i = 0; i < 4; i++) {
      clips[i] = file(dataDir, "clips/cam1/c" + i + ".mp4", 400 * KB, Duration.ofDays(400 - i));
    }

    DiskRetention.Sweep s = sweep(0, 1);

    assertThat(clips[0]).doesNotExist();
    assertThat(clips[1]).doesNotExist();
    assertThat(clips[2]).exists();
    assertThat(clips[3]).exists();
    assertThat(s.clipsDeletedByCap()).isEqualTo(2);
    assertThat(s.clipsDeletedByAge()).isZero();
    assertThat(s.clipBytes()).isEqualTo(800L * KB);
  }

  @Test
  @DisplayName("the clip keys default to 7 days and 4096 MB and are range-checked")
  void defaults() {
    assertThat(DiskConfig.DEFAULTS.clipRetentionDays()).isEqualTo(7);
    assertThat(DiskConfig.DEFAULTS.clipMaxMb()).isEqualTo(4096);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DiskConfig(30, 0, 5, -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
