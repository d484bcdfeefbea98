package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What /metrics exports: the JVM's standard families by their stock names, ours prefixed. */
class MetersTest {
  @Test
  @DisplayName(
      "JVM memory, GC, threads, classes, CPU, uptime and open files are scraped under their stock names")
  void standardJvmMetrics() {
    System.gc(); // the GC binder reports pauses once a collection has happened
    String scrape = Meters.prometheus().scrape();
    assertThat(scrape)
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_memory_max_bytes{")
        .contains("jvm_buffer_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads ")
        .contains("jvm_threads_states_threads{")
        .contains("jvm_classes_loaded_classes ")
        .contains("jvm_info{")
        .contains("process_cpu_usage ")
        .contains("system_cpu_count ")
        .contains("process_uptime_seconds ")
        .contains("process_start_time_seconds ")
        .contains("process_files_open_files ")
        .contains("process_files_max_files ");
    assertThat(scrape).doesNotContain("stopsign_jvm_", "stopsign_process_", "stopsign_system_");
  }

  @Test
  @DisplayName("every other meter, Vert.x's included, is exported with the stopsign_ prefix")
  void prefixRule() {
    assertThat(Meters.exportedName("vertx.http.server.requests"))
        .isEqualTo("stopsign.vertx.http.server.requests");
    assertThat(Meters.exportedName("queue.depth")).isEqualTo("stopsign.queue.depth");
    assertThat(Meters.exportedName("stopsign.passes")).isEqualTo("stopsign.passes");
    assertThat(Meters.exportedName("jvm.memory.used")).isEqualTo("jvm.memory.used");
    assertThat(Meters.exportedName("processed")).isEqualTo("stopsign.processed");
    Meters.registry().counter("meters.test.probe").increment();
    assertThat(Meters.prometheus().scrape()).contains("stopsign_meters_test_probe_total");
  }
}
