package io.deliverylab.producer.run;

import io.deliverylab.producer.checkpoint.RunDefinition;
import io.deliverylab.producer.checkpoint.RunProgress;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A run's acknowledged prefix is stored the first time, then at most once per interval. */
class CheckpointIntervalTest {

    static Run run() {
        return new Run(RunProgress.start(new RunDefinition("run-t", DeliveryMode.AT_LEAST_ONCE, 1000, 3, 1000, 0, "producer-0", 0, 0, null)));
    }

    @Test
    void theFirstIsDueThenNotAgainWithinTheInterval() {
        Run run = run();
        assertThat(run.checkpointDue(Duration.ofMinutes(1))).isTrue();
        assertThat(run.checkpointDue(Duration.ofMinutes(1))).isFalse();
        assertThat(run.checkpointDue(Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void dueAgainOnceTheIntervalHasPassed() throws InterruptedException {
        Run run = run();
        assertThat(run.checkpointDue(Duration.ofMillis(30))).isTrue();
        Thread.sleep(40);
        assertThat(run.checkpointDue(Duration.ofMillis(30))).isTrue();
        assertThat(run.checkpointDue(Duration.ZERO)).as("an interval of zero: every batch").isTrue();
    }
}
