package io.stopsign.ops;

import java.lang.management.ManagementFactory;

/**
 * The JVM's process CPU time, all threads together: a cost a busy machine inflates far less than
 * wall time.
 */
public final class ProcessCpu {
  private ProcessCpu() {}

  /** CPU nanoseconds the process has used so far; -1 where the JVM does not tell. */
  public static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** {@link #nanos()} in seconds. */
  public static double seconds() {
    return nanos() / 1e9;
  }
}
