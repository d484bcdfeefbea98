package io.stopsign.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Postgres a killed service left behind. {@code pg_ctl} detaches the postmaster, so a
 * SIGKILL of the JVM (an OOM kill) leaves it running on the data folder, and a new one refuses to
 * start there until it is gone. This stops it cleanly before the next start: the stale server is
 * ours only if the live process named by {@code postmaster.pid} is a {@code postgres} serving that
 * very folder; any other process reusing the PID is left alone and the stale file removed.
 */
final class OrphanPostmaster {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanPostmaster.class);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private OrphanPostmaster() {}

  /** Makes the data folder free for a new postmaster. Blocking. */
  static void release(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (java.nio.file.NoSuchFileException e) {
      return;
    }
    long pid = lines.isEmpty() ? -1 : parsePid(lines.get(0));
    Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
    if (process.isEmpty() || !process.get().isAlive()) {
      return; // a dead PID: Postgres itself removes the stale file
    }
    if (!servesFolder(process.get(), dataDir)) {
      LOG.warn(
          "{} names PID {}, which is not a postgres on this folder: removing the stale file",
          pidFile,
          pid);
      Files.deleteIfExists(pidFile);
      return;
    }
    LOG.warn("embedded Postgres (PID {}) outlived the previous run: stopping it first", pid);
    stop(process.get());
  }

  /** SIGTERM: a clean shutdown with a checkpoint; the dead JVM's sessions are already closed. */
  private static void stop(ProcessHandle postmaster) throws IOException {
    long started = System.nanoTime();
    postmaster.destroy();
    try {
      postmaster.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          "the previous embedded Postgres (PID %d) did not stop within %d s; stop it and start again"
              .formatted(postmaster.pid(), STOP_TIMEOUT.toSeconds()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the previous embedded Postgres");
    } catch (ExecutionException e) {
      throw new IOException("could not wait for the previous embedded Postgres: " + e.getMessage());
    }
    LOG.info(
        "previous embedded Postgres stopped in {} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** True when the process runs a postgres binary with {@code -D dataDir}. */
  static boolean servesFolder(ProcessHandle process, Path dataDir) {
    Optional<String> command = process.info().command();
    Optional<String[]> arguments = process.info().arguments();
    if (command.isEmpty() || arguments.isEmpty()) {
      // Not readable (another user): Postgres would refuse it anyway, so treat it as foreign.
      return false;
    }
    if (!Path.of(command.get()).getFileName().toString().equals("postgres")) {
      return false;
    }
    String[] args = arguments.get();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-D") && sameFolder(Path.of(args[i + 1]), dataDir)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameFolder(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  private static long parsePid(String line) {
    try {
      return Long.parseLong(line.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
