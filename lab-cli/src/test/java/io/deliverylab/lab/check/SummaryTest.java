package io.deliverylab.lab.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jepsen's summary: per mode, valid or not, and each anomaly kind found, allowed or not by the mode's promise. */
class SummaryTest {

    static Verdict.Builder run(DeliveryMode mode) {
        return Verdict.builder().runId("r-" + mode).mode(mode).fault("f").intended(100).promiseKept(true);
    }

    @Test
    void eachKindFoundIsJudgedByTheModesPromise() {
        List<Summary> summaries = Summary.of(List.of(
                run(DeliveryMode.AT_MOST_ONCE).lost(7).lostAcknowledged(2).build(),
                run(DeliveryMode.AT_MOST_ONCE).outOfOrder(3).build(),
                run(DeliveryMode.AT_LEAST_ONCE).duplicatesInLog(4).duplicateDeliveries(9).failedIndeterminate(1).build(),
                run(DeliveryMode.EXACTLY_ONCE).build(),
                run(DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE).duplicateDeliveries(5).promiseKept(false).build()));
        assertThat(summaries).extracting(s -> s.mode().wireName() + ": " + s.line()).containsExactly(
                "at-most-once: valid; found: lost, never acknowledged 5 (allowed), lost after acknowledgement 2 (allowed), reordered 3 (reported)",
                "at-least-once: valid; found: duplicates in the log 4 (allowed), duplicate effects 9 (allowed), indeterminate sends 1 (reported)",
                "exactly-once: valid; nothing found",
                "kafka-only-exactly-once: INVALID; found: duplicate effects 5 (not allowed)");
    }

    @Test
    void anAbortedReadIsNeverAllowedForExactlyOnce() {
        Summary eos = Summary.of(List.of(run(DeliveryMode.EXACTLY_ONCE).abortedReads(1).promiseKept(false).build())).get(0);
        assertThat(eos.valid()).isFalse();
        assertThat(eos.findings()).singleElement().isEqualTo(new Summary.Finding("aborted reads", 1, Summary.Allowed.NOT_ALLOWED));
    }
}
