package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.TransferCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads what a run really put on its topic: how many times each seq is in the log. */
final class TopicAssertions {

    private TopicAssertions() {
    }

    static Map<Long, Long> seqCounts(String bootstrap, DeliveryMode mode, String runId, TopicReader.Isolation isolation) {
        List<Transfer> transfers = TopicReader.readAll(bootstrap, mode.topic(), isolation, Duration.ofSeconds(60)).stream()
                .map(r -> TransferCodec.decode(r.value()))
                .filter(t -> t.runId().equals(runId))
                .toList();
        return transfers.stream().collect(Collectors.groupingBy(Transfer::seq, Collectors.counting()));
    }

    static Map<Long, Long> seqCounts(String bootstrap, DeliveryMode mode, String runId) {
        return seqCounts(bootstrap, mode, runId, TopicReader.Isolation.READ_COMMITTED);
    }

    /**
     * The run's records that sit in the log after a record of the same key with a higher seq (a key
     * has one partition, so this is the order a consumer reads them in).
     */
    static long behindNewer(String bootstrap, DeliveryMode mode, String runId) {
        Map<String, Long> highest = new java.util.HashMap<>();
        long behind = 0;
        for (var r : TopicReader.readAll(bootstrap, mode.topic(), TopicReader.Isolation.READ_COMMITTED, Duration.ofSeconds(60))) {
            Transfer t = TransferCodec.decode(r.value());
            if (!t.runId().equals(runId)) {
                continue;
            }
            Long before = highest.get(t.key());
            if (before != null && t.seq() < before) {
                behind++;
            } else {
                highest.put(t.key(), t.seq());
            }
        }
        return behind;
    }

}
