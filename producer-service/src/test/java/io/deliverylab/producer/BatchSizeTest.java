package io.deliverylab.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How RunExecutor cuts a run into batches: full ones at full speed, one pacing interval's worth under a rate. */
class BatchSizeTest {

    @Test
    void atFullSpeedABatchIsTheStrategysSize() {
        assertThat(RunExecutor.batchSize(500, null, Duration.ofMillis(20))).isEqualTo(500);
        assertThat(RunExecutor.batchSize(2000, null, Duration.ofMillis(100))).isEqualTo(2000);
    }

    @Test
    void underARateABatchHoldsOnePacingIntervalOfMessages() {
        assertThat(RunExecutor.batchSize(500, 1000, Duration.ofMillis(20))).isEqualTo(20);
        assertThat(RunExecutor.batchSize(2000, 1000, Duration.ofMillis(100))).isEqualTo(100);
    }

    @Test
    void neverMoreThanAtFullSpeedAndNeverEmpty() {
        assertThat(RunExecutor.batchSize(500, 1_000_000, Duration.ofMillis(20))).isEqualTo(500);
        assertThat(RunExecutor.batchSize(500, 3, Duration.ofMillis(20))).isEqualTo(1);
    }
}
