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

}
