package io.deliverylab.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The means come from the change of each timer's sum and count over the run, not from their totals. */
class ConsumerTimesTest {

    @Test
    void meansAreTakenOverTheRunOnly() {
        Map<String, Double> before = Map.of(
                "deliverylab_consumer_wait_latency_seconds_sum", 100.0, "deliverylab_consumer_wait_latency_seconds_count", 1000.0,
                "deliverylab_consumer_processing_latency_seconds_sum", 5.0, "deliverylab_consumer_processing_latency_seconds_count", 10.0);
        Map<String, Double> after = Map.of(
                // 2,000 more records that waited 40 s in all: 20 ms each
                "deliverylab_consumer_wait_latency_seconds_sum", 140.0, "deliverylab_consumer_wait_latency_seconds_count", 3000.0,
                // 40 more batches of 50 records, 0.6 s of transactions: 15 ms each
                "deliverylab_consumer_processing_latency_seconds_sum", 5.6, "deliverylab_consumer_processing_latency_seconds_count", 50.0);
        ConsumerTimes t = ConsumerTimes.between(before, after);
        assertThat(t.waitMillisPerRecord()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.applyMillisPerBatch()).isCloseTo(15.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.recordsPerBatch()).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.commitMillisPerBatch()).as("no commit timer moved").isNaN();
    }
}
