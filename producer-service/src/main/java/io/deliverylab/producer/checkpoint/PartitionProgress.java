package io.deliverylab.producer.checkpoint;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * One partition's checkpoint of an exactly-once run sent by several transactional producers, each
 * owning a slice of the topic's partitions ({@code deliverylab.producer.transactional-slices}): every
 * message of the run whose key falls in {@code partition} (of {@code partitions}, the way Kafka's
 * default partitioner places a keyed record) and whose seq is below {@code nextSeq} is committed,
 * {@code acknowledged} of them in all. It is written in the same transaction as those messages, so
 * a restart resumes each partition where its own producer's last commit left it.
 */
public record PartitionProgress(String runId, int partitions, int partition, long nextSeq, long acknowledged) {

    /** The partition Kafka's default partitioner gives a record with this key, among {@code partitions}. */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The Kafka record key of this checkpoint: one per run and partition. */
    String key() {
        return runId + "/" + partition;
    }
}
