package io.deliverylab.lab.check;

import io.deliverylab.contract.DeliveryMode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the checker needs about one run, gathered independently of the services: the
 * producer's ledger, the topic read twice (read_uncommitted, read_committed), and the database.
 *
 * @param acknowledged seqs the producer's ledger says the brokers acknowledged
 * @param logUncommitted seq of every record of the run in the topic, read_uncommitted, in offset order per partition
 * @param logCommitted the same, read_committed
 * @param stored stored messages by seq
 * @param correctBalances the consumer's idempotent balances, by key
 * @param naiveBalances naive_balance by key
 * @param unseen true when the run did not settle within the bounded wait
 * @param quiescenceMillis from the last fault event to the moment the run settled (-1: no fault or never settled)
 * @param duplicatesByInstance extra deliveries per consumer instance that applied the latest of them
 * @param rebalances new partition assignments the consumers counted for the mode during the run
 * @param hangingTransactions transactions open on the mode's partitions that no coordinator is finishing, once the run settled (-1: not known)
 */
public record Observation(String runId, DeliveryMode mode, long intended, int keys, Set<Long> acknowledged,
        List<Long> logUncommitted, List<Long> logCommitted, Map<Long, Stored> stored,
        Map<String, Long> correctBalances, Map<String, Long> naiveBalances, boolean unseen, long quiescenceMillis,
        Map<String, Long> duplicatesByInstance, long rebalances, long hangingTransactions) {

    /** One stored message: what the consumer recorded of its deliveries. */
    public record Stored(long seq, String key, long amount, int deliveryCount, long applyOrder) {
    }
}
