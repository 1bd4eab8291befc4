package io.deliverylab.lab;

import java.util.Map;

/**
 * The checker's findings for one run, with stable field names (they are results.json's schema).
 */
public record Verdict(
        String runId,
        String mode,
        String fault,
        long intended,
        long acknowledged,
        long logRecordsUncommitted,
        long logDistinctUncommitted,
        long logRecordsCommitted,
        long logDistinctCommitted,
        long storedDistinct,
        long lost,
        long lostNeverReachedKafka,
        long lostInKafkaNeverApplied,
        long lostAcknowledged,
        long duplicatesInLog,
        long duplicateDeliveries,
        Map<Integer, Long> consumeCounts,
        long naiveBalanceError,
        boolean correctBalanceOk,
        long outOfOrder,
        long quiescenceMillis,
        boolean unseen,
        boolean promiseKept,
        boolean weaknessDemonstrated,
        String explanation,
        Map<String, Long> duplicatesByInstance,
        long rebalances) {
}
