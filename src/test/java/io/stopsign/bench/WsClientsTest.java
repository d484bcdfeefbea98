package io.stopsign.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WsClientsTest {

  @Test
  @DisplayName(
      "the readers take ts_utc from the message bytes as Java writes it, to the microsecond")
  void readsTimestampInPlace() {
    assertThat(WsClients.tsMicros(Buffer.buffer("{\"ts_utc\":1.764664666123E9,\"frame\":3}")))
        .isEqualTo(1_764_664_666_123_000L);
    assertThat(WsClients.tsMicros(Buffer.buffer("{\"ts_utc\":1.7646646661E9,\"frame\":3}")))
        .isEqualTo(1_764_664_666_100_000L);
    assertThat(WsClients.tsMicros(Buffer.buffer("{\"ts_utc\":12.5,\"frame\":1}")))
        .isEqualTo(12_500_000L);
    assertThat(WsClients.tsMicros(Buffer.buffer("{\"ts_utc\":1.0E-3}"))).isEqualTo(1_000L);
  }

  @Test
  @DisplayName("messages that do not start with ts_utc (hello, replies) are not metadata")
  void otherMessagesAreSkipped() {
    assertThat(WsClients.tsMicros(Buffer.buffer("{\"type\":\"hello\",\"client\":\"1\"}")))
        .isEqualTo(-1);
    assertThat(WsClients.tsMicros(Buffer.buffer("{\"ts_utc\":"))).isEqualTo(-1);
    assertThat(WsClients.tsMicros(Buffer.buffer(""))).isEqualTo(-1);
  }
}
