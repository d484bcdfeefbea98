package io.stopsign.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Watches the machine during one run: the 1-minute load average and the CPU that other processes
 * used (from /proc), so that a figure taken while something else ran is marked as noisy.
 */
final class LoadWatch {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private final long startNanos = System.nanoTime();
  private final Map<String, Long> startTicks = othersCpuTicks();

  /** What the machine did besides us since this watch started. */
  record Load(double loadAverage, double otherCores) {
    /** Busy: other processes used more than a quarter core, or more runnable tasks than cores. */
    boolean busy() {
      int cores = Runtime.getRuntime().availableProcessors();
      return otherCores > 0.25 || loadAverage > cores;
    }

    @Override
    public String toString() {
      return String.format("load %.1f, others %.2f cores", loadAverage, otherCores);
    }
  }

  Load stop() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long ticks = 0;
    for (Map.Entry<String, Long> now : othersCpuTicks().entrySet()) {
      // a process started since counts whole; one that ended since is lost (cannot be read)
      ticks += Math.max(0, now.getValue() - startTicks.getOrDefault(now.getKey(), 0L));
    }
    double others = ticks / TICKS_PER_SECOND;
    return new Load(loadAverage(), seconds <= 0 ? 0 : others / seconds);
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1; // not Linux: unknown
    }
  }

  /** User + system CPU ticks of every process but this one, by pid. */
  private static Map<String, Long> othersCpuTicks() {
    String self = Long.toString(ProcessHandle.current().pid());
    Map<String, Long> ticks = new HashMap<>();
    String[] pids = new File("/proc").list();
    for (String pid : pids == null ? new String[0] : pids) {
      if (!pid.equals(self) && !pid.isEmpty() && Character.isDigit(pid.charAt(0))) {
        ticks.put(pid, cpuTicks(Path.of("/proc", pid, "stat")));
      }
    }
    return ticks;
  }

  private static long cpuTicks(Path stat) {
    try {
      String text = Files.readString(stat);
      // fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15
      String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }
}
