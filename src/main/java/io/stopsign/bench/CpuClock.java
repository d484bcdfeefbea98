package io.stopsign.bench;

import io.stopsign.ops.ProcessCpu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of one P4 run split between the hub's event loops, the reading clients' threads and the
 * JVM's own threads (GC, JIT): a per-message cost that, unlike latency, a busy machine inflates
 * only a little.
 */
final class CpuClock {
  /** CPU milliseconds used by each part. */
  record Split(double hubMs, double readersMs, double jvmMs) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final long processStart = ProcessCpu.nanos();
  private final Map<Long, Long> threadStart = threadNanos();

  /** {@code readers}: the reading clients' threads. */
  Split stop(Set<Thread> readers) {
    long processUsed = ProcessCpu.nanos() - processStart;
    Set<Long> readerIds = new HashSet<>();
    readers.forEach(t -> readerIds.add(t.getId()));
    long hub = 0;
    long read = 0;
    long java = 0;
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = THREADS.getThreadCpuTime(id);
      ThreadInfo info = THREADS.getThreadInfo(id);
      if (nanos < 0 || info == null) {
        continue;
      }
      long used = nanos - threadStart.getOrDefault(id, 0L);
      java += used;
      if (readerIds.contains(id)) {
        read += used;
      } else if (info.getThreadName().startsWith("vert.x-eventloop")) {
        hub += used;
      }
    }
    return new Split(hub / 1e6, read / 1e6, Math.max(0, processUsed - java) / 1e6);
  }

  private static Map<Long, Long> threadNanos() {
    Map<Long, Long> nanos = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        nanos.put(id, cpu);
      }
    }
    return nanos;
  }
}
