package io.deliverylab.lab.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.LedgerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as acknowledged when a producer was killed before it wrote its last acknowledgements down. */
class AcknowledgedTest {

    static final String RUN = "run-ack";

    /** A ledger that stops at seq 2900 (the producer was SIGKILLed), and a log that holds all 3000 committed. */
    private static Path ledgerUpTo(Path dir, long last) throws Exception {
        Path ledger = dir.resolve("producer-ledger.jsonl");
        Files.writeString(ledger, LongStream.rangeClosed(0, last).mapToObj(s -> LedgerEvent.acked("s1", RUN, "exactly-once", s, 0, s).encode())
                .collect(Collectors.joining("\n", "", "\n")));
        return ledger;
    }

    private static final List<Long> ALL = LongStream.range(0, 3000).boxed().toList();

    @Test
    void aTransactionalModesCommittedRecordsAreAcknowledgedEvenWhenTheKilledProducerNeverWroteThemDown(@TempDir Path dir) throws Exception {
        Path ledger = ledgerUpTo(dir, 2900);
        assertThat(Observer.acknowledged(ledger.toString(), DeliveryMode.EXACTLY_ONCE, RUN, ALL, ALL)).hasSize(3000);
        assertThat(Observer.acknowledged(ledger.toString(), DeliveryMode.EXACTLY_ONCE, RUN, ALL, ALL.subList(0, 2000)))
                .as("a record only in an aborted transaction is acknowledged only if the ledger says so").hasSize(2901);
    }

    @Test
    void anAcksAllModeCountsTheLedgersOnly(@TempDir Path dir) throws Exception {
        Path ledger = ledgerUpTo(dir, 2900);
        assertThat(Observer.acknowledged(ledger.toString(), DeliveryMode.AT_LEAST_ONCE, RUN, ALL, ALL)).hasSize(2901);
        assertThat(Observer.acknowledged(null, DeliveryMode.AT_LEAST_ONCE, RUN, ALL, List.of())).as("no ledger: the log").hasSize(3000);
    }
}
