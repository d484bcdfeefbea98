package io.stopsign.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.bus.DropOldestQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MeterReadingsTest {

  @Test
  @DisplayName(
      "a camera's queue drops are read by its camera tag: WebSocket client 5's drops do not count for camera 5")
  void dropsByCameraTag() {
    DropOldestQueue<Integer> frames =
        new DropOldestQueue<>("frames.5", "5", 1, Meters.registry(), f -> {});
    DropOldestQueue<Integer> client = new DropOldestQueue<>("ws.5", 1, Meters.registry());
    try {
      MeterReadings before = MeterReadings.read(Meters.registry(), "5");
      for (int i = 0; i < 4; i++) {
        client.offer(i); // 3 drops for the WebSocket client whose id is 5
      }
      frames.offer(1);
      frames.offer(2); // 1 drop for camera 5
      MeterReadings after = MeterReadings.read(Meters.registry(), "5");
      assertThat(after.dropped() - before.dropped()).isEqualTo(1.0);
    } finally {
      frames.close();
      client.close();
    }
  }
}
