package io.deliverylab.producer.send.transactional;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.ConfigProvider;

/** One transactional producer of a mode (one channel, one stable transactional.id): free or in a transaction. */
final class TransactionalProducer {

    final int index;
    final KafkaTransactions<String> transactions;
    final String channel;
    final String topic;
    final Semaphore free = new Semaphore(1);
    private final KafkaClientService clients;
    /** The error state the last abort left, to tell a fatal one (the same again) from an abortable one. */
    volatile Throwable lastErrorState;

    TransactionalProducer(int index, KafkaTransactions<String> transactions, String channel, String defaultTopic, KafkaClientService clients) {
        this.index = index;
        this.transactions = transactions;
        this.channel = channel;
        this.clients = clients;
        this.topic = ConfigProvider.getConfig().getOptionalValue("mp.messaging.outgoing." + channel + ".topic", String.class)
                .orElse(defaultTopic);
    }

    /** The channel's Kafka producer, as SmallRye built it from the channel's configuration. */
    KafkaProducer<String, String> client() {
        KafkaProducer<String, String> client = clients.getProducer(channel);
        if (client == null) {
            throw new IllegalStateException("no Kafka producer for channel " + channel);
        }
        return client;
    }
}
