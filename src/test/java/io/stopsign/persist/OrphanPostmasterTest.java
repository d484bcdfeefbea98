package io.stopsign.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A postmaster.pid naming a process that is not our postgres never gets that process stopped. */
class OrphanPostmasterTest {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "a live PID that is not a postgres on this folder is left running; the stale file goes")
  void foreignProcessLeftAlone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      Files.writeString(dir.resolve("postmaster.pid"), sleeper.pid() + "\n" + dir + "\n");
      OrphanPostmaster.release(dir);
      assertThat(sleeper.isAlive()).isTrue();
      assertThat(dir.resolve("postmaster.pid")).doesNotExist();
    } finally {
      sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a dead PID or no file at all: nothing to do, Postgres handles its own stale file")
  void deadOrMissing() throws Exception {
    OrphanPostmaster.release(dir);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    Files.writeString(dir.resolve("postmaster.pid"), gone.pid() + "\n" + dir + "\n");
    OrphanPostmaster.release(dir);
    assertThat(dir.resolve("postmaster.pid")).exists();
  }
}
