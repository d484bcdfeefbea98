package io.stopsign.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DetectorBusyTest {

  @Test
  @DisplayName(
      "the expected end is the start plus most of the average run; the warm-up run and outliers"
          + " do not inflate it; an idle thread makes the detector free now (0)")
  void expectedEnd() {
    DetectorBusy busy = new DetectorBusy(2);
    assertThat(busy.freeAt()).isZero();
    busy.started(0, 1_000);
    busy.finished(0, 5_000_000_000L); // warm-up: not counted
    assertThat(busy.averageNanos()).isZero();
    busy.started(0, 2_000);
    busy.finished(0, 60_000_000L);
    assertThat(busy.averageNanos()).isEqualTo(60_000_000.0);
    busy.started(0, 3_000);
    busy.finished(0, 10_000_000_000L); // a 10 s stall counts as 4 x the average
    assertThat(busy.averageNanos()).isCloseTo(60e6 + 0.2 * (240e6 - 60e6), within(1.0));
    assertThat(busy.started(0, 1_000_000)).as("thread 1 idle").isZero();
    assertThat(busy.started(1, 2_000_000))
        .as("both busy: thread 0's expected end, 0.95 x the average after its start")
        .isCloseTo(1_000_000L + 91_200_000L, within(2L));
    assertThat(busy.finished(1, 1_000)).as("thread 1 free again").isZero();
  }
}
