package io.stopsign.bench;

import io.stopsign.inference.ModelConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * P6: resident set size and live heap (after a full GC) of this process once the live path has
 * warmed up, against the same after a soak of the live path: growth in per cent, the larger of the
 * two.
 */
final class Soak {
  record Memory(long rssKb, long heapKb) {}

  static Repeated.Run run(Path clip, ModelConfig model, int frameQueue, double minutes)
      throws Exception {
    Memory warm;
    Memory soaked;
    long messages;
    try (LivePipeline pipeline = LivePipeline.start(clip, model, frameQueue)) {
      Thread.sleep(Math.max(2_000, Math.min(20_000, (long) (minutes * 60_000 / 4))));
      warm = measure();
      pipeline.client().resetLatencies();
      Thread.sleep((long) (minutes * 60_000));
      soaked = measure();
      messages = pipeline.client().received(0);
    }
    double rss = 100.0 * (soaked.rssKb() - warm.rssKb()) / warm.rssKb();
    double heap = 100.0 * (soaked.heapKb() - warm.heapKb()) / warm.heapKb();
    return new Repeated.Run(
        Math.abs(rss) >= Math.abs(heap) ? rss : heap,
        String.format(
            "last run: %.1f min soak, %d messages; RSS %,d -> %,d kB (%+.1f%%), heap after GC %,d"
                + " -> %,d kB (%+.1f%%)",
            minutes,
            messages,
            warm.rssKb(),
            soaked.rssKb(),
            rss,
            warm.heapKb(),
            soaked.heapKb(),
            heap));
  }

  static Memory measure() throws Exception {
    System.gc(); // live objects only: what is left after a full collection
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
    return new Memory(rssKb(), heap);
  }

  private static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private Soak() {}
}
