package io.deliverylab.lab.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** find-hanging's rule on hand-made partition and coordinator states. */
class HangingTransactionsTest {

    static final TopicPartition P0 = new TopicPartition("deliverylab.exactly-once", 0);
    static final TopicPartition P1 = new TopicPartition("deliverylab.exactly-once", 1);

    static ProducerState producer(long id, Long openSince) {
        return new ProducerState(id, 3, 10, 1_000L, OptionalInt.of(0), openSince == null ? OptionalLong.empty() : OptionalLong.of(openSince));
    }

    static TransactionDescription coordinator(long id, TransactionState state, TopicPartition... partitions) {
        return new TransactionDescription(1, state, id, 3, 30_000, OptionalLong.of(1_000L), Set.of(partitions));
    }

    @Test
    void onlyOpenTransactionsAreCandidates() {
        var open = HangingTransactions.open(Map.of(P0, List.of(producer(7, 120L), producer(8, null)), P1, List.of()));
        assertThat(open).containsExactly(new HangingTransactions.Open(P0, 7, 3, 120));
    }

    @Test
    void anOpenTransactionIsHangingUnlessItsCoordinatorIsFinishingItOnThatPartition() {
        var open = HangingTransactions.open(Map.of(P0, List.of(producer(7, 120L)), P1, List.of(producer(9, 40L))));
        // Producer 7's transaction is ongoing on P0 at its coordinator; producer 9's coordinator has completed
        // its transaction (or never added P1): P1 stays open with nobody to write the marker.
        var hanging = HangingTransactions.hanging(open, List.of(coordinator(7, TransactionState.ONGOING, P0),
                coordinator(9, TransactionState.COMPLETE_COMMIT, P1)));
        assertThat(hanging).containsExactly(new HangingTransactions.Open(P1, 9, 3, 40));
        assertThat(HangingTransactions.hanging(open, List.of())).hasSize(2);
        assertThat(HangingTransactions.hanging(open, List.of(coordinator(7, TransactionState.PREPARE_COMMIT, P0),
                coordinator(9, TransactionState.ONGOING, P0)))).as("ongoing, but not on P1").extracting(HangingTransactions.Open::partition)
                .containsExactly(P1);
    }
}
