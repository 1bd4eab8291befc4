package io.deliverylab.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic, every partition from the beginning up to the end offsets seen at the
 * start, with its own consumer (no group, nothing committed). Under read_committed the end is
 * the last stable offset, so aborted and still-open transactions are left out.
 */
public final class TopicReader {

    public enum Isolation {
        READ_UNCOMMITTED("read_uncommitted"),
        READ_COMMITTED("read_committed");

        final String config;

        Isolation(String config) {
            this.config = config;
        }
    }

    private TopicReader() {
    }

    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic, Isolation isolation,
            Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        read(bootstrapServers, topic, isolation, Map.of(), false, timeout, records::add);
        return records;
    }

    /**
     * Every committed record of the topic up to the log's end as it is now, waiting until each
     * transaction open now is decided. {@link #readAll} under read_committed stops at the last stable
     * offset, so a transaction left open (by a producer nothing fences) hides every commit after it:
     * a reader of checkpoints that stopped there would resume from stale ones.
     */
    public static List<ConsumerRecord<String, String>> readAllDecided(String bootstrapServers, String topic, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        read(bootstrapServers, topic, Isolation.READ_COMMITTED, Map.of(), true, timeout, records::add);
        return records;
    }

    /**
     * Hands every record of the topic, from each partition's beginning to its end, to {@code each}
     * without keeping them: for a reader that wants a few records of a topic that may hold millions
     * (a stack after a bench: a list of them all ran the lab out of heap).
     */
    public static void forEach(String bootstrapServers, String topic, Isolation isolation, Duration timeout,
            Consumer<ConsumerRecord<String, String>> each) {
        read(bootstrapServers, topic, isolation, Map.of(), false, timeout, each);
    }

    /**
     * Reads only the given offsets: per partition number, {@code [from, until)}. Partitions not
     * named are not read; an {@code until} past the end offset stops at the end. For a reader that
     * needs one run's records of a topic that holds many.
     */
    public static List<ConsumerRecord<String, String>> readRanges(String bootstrapServers, String topic, Isolation isolation,
            Map<Integer, long[]> ranges, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        if (!ranges.isEmpty()) {
            read(bootstrapServers, topic, isolation, ranges, false, timeout, records::add);
        }
        return records;
    }

    /**
     * Every partition from its beginning to its end if {@code ranges} is empty, else only the ranges.
     * With {@code toLogEnd}, the end is the log end even under read_committed (see {@link #readAllDecided}).
     */
    private static void read(String bootstrapServers, String topic, Isolation isolation,
            Map<Integer, long[]> ranges, boolean toLogEnd, Duration timeout, Consumer<ConsumerRecord<String, String>> each) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.config);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        // endOffsets answers per the isolation level: the last stable offset under read_committed.
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .filter(p -> ranges.isEmpty() || ranges.containsKey(p.partition()))
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = new java.util.HashMap<>(toLogEnd ? logEnd(bootstrapServers, partitions, timeout)
                    : consumer.endOffsets(partitions, timeout));
            if (ranges.isEmpty()) {
                consumer.seekToBeginning(partitions);
            } else {
                for (TopicPartition tp : partitions) {
                    long[] range = ranges.get(tp.partition());
                    consumer.seek(tp, range[0]);
                    end.merge(tp, range[1], Math::min);
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
        }
    }

    /** The log end offsets (high watermarks), whatever transactions are open: a read_uncommitted consumer's end offsets. */
    private static Map<TopicPartition, Long> logEnd(String bootstrapServers, List<TopicPartition> partitions, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, Isolation.READ_UNCOMMITTED.config);
        try (KafkaConsumer<String, String> uncommitted = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            return uncommitted.endOffsets(partitions, timeout);
        }
    }
}
