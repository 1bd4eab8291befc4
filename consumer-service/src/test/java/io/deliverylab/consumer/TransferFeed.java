package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.TransferCodec;
import io.deliverylab.contract.Workload;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes transfers (or raw values) straight to a mode's topic, as the producer service would. */
final class TransferFeed implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final boolean transactional;

    private TransferFeed(String bootstrap, boolean transactional) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactional) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-feed-" + UUID.randomUUID());
        }
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.transactional = transactional;
        if (transactional) {
            producer.initTransactions();
        }
    }

    static TransferFeed plain(String bootstrap) {
        return new TransferFeed(bootstrap, false);
    }

    static TransferFeed transactional(String bootstrap) {
        return new TransferFeed(bootstrap, true);
    }

    static String newRunId() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<Transfer> transfers(String runId, DeliveryMode mode, int messages, int keys) {
        return LongStream.range(0, messages).mapToObj(s -> Transfer.of(runId, mode, s, keys, System.currentTimeMillis())).toList();
    }

    /** The balance each key must reach: the sum of its amounts. */
    static Map<String, Long> expectedBalances(List<Transfer> transfers) {
        return transfers.stream().collect(Collectors.groupingBy(Transfer::key, Collectors.summingLong(Transfer::amount)));
    }

    static long amountSum(String runId, int messages) {
        return LongStream.range(0, messages).map(s -> Workload.amountFor(runId, s)).sum();
    }

    /** Sends (and for a transactional feed commits) and waits for every acknowledgement. */
    void send(List<Transfer> transfers) {
        send(transfers.get(0).mode().topic(), transfers);
    }

    /** The same, to another topic than the mode's own (a test's private topic). */
    void send(String topic, List<Transfer> transfers) {
        if (transactional) {
            producer.beginTransaction();
        }
        transfers.forEach(t -> producer.send(new ProducerRecord<>(topic, t.key(), TransferCodec.encode(t))));
        finish(true);
    }

    /** Sends inside a transaction and aborts it. */
    void sendAborted(List<Transfer> transfers) {
        producer.beginTransaction();
        transfers.forEach(t -> producer.send(new ProducerRecord<>(t.mode().topic(), t.key(), TransferCodec.encode(t))));
        producer.flush();
        producer.abortTransaction();
    }

    void sendRaw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void finish(boolean commit) {
        if (transactional && commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
