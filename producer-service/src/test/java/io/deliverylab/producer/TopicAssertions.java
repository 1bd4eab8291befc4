package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.TransferCodec;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what a run really put on its topic: how many times each seq is in the log. */
public final class TopicAssertions {

    private TopicAssertions() {
    }

    public static Map<Long, Long> seqCounts(String bootstrap, DeliveryMode mode, String runId, TopicReader.Isolation isolation) {
        List<Transfer> transfers = TopicReader.readAll(bootstrap, mode.topic(), isolation, Duration.ofSeconds(60)).stream()
                .map(r -> TransferCodec.decode(r.value()))
                .filter(t -> t.runId().equals(runId))
                .toList();
        return transfers.stream().collect(Collectors.groupingBy(Transfer::seq, Collectors.counting()));
    }

    /**
     * Waits until the transactions that wrote to these topics are visible as they ended: a commit returns
     * once the coordinator logged it, and read_committed readers see its records only once the markers
     * it then writes are in every partition (the last stable offset reaches the end of the log).
     */
    static void awaitMarkers(String bootstrap, List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties uncommittedProps = new Properties();
        uncommittedProps.putAll(props);
        uncommittedProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (var committed = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
                var uncommitted = new KafkaConsumer<>(uncommittedProps, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = topics.stream().flatMap(t -> committed.partitionsFor(t, Duration.ofSeconds(10)).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                    committed.endOffsets(partitions, Duration.ofSeconds(10)).equals(uncommitted.endOffsets(partitions, Duration.ofSeconds(10))));
        }
    }

    public static Map<Long, Long> seqCounts(String bootstrap, DeliveryMode mode, String runId) {
        return seqCounts(bootstrap, mode, runId, TopicReader.Isolation.READ_COMMITTED);
    }

}
