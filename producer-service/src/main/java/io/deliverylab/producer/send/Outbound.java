package io.deliverylab.producer.send;

import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.TransferCodec;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/** One transfer on its way to Kafka; after the acknowledgement it knows its partition and offset. */
public final class Outbound {

    public final Transfer transfer;
    private final OutgoingMessageMetadata<RecordMetadata> result = new OutgoingMessageMetadata<>();
    private final long startedNanos = System.nanoTime();

    public Outbound(Transfer transfer) {
        this.transfer = transfer;
    }

    public Message<String> message() {
        return Message.of(TransferCodec.encode(transfer))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(transfer.key()).build())
                .addMetadata(result);
    }

    /** The same transfer as a Kafka record on {@code topic}, for a send that bypasses the channel's sink. */
    public ProducerRecord<String, String> record(String topic) {
        return new ProducerRecord<>(topic, transfer.key(), TransferCodec.encode(transfer));
    }

    /** Acknowledged by the brokers (a send that bypasses the Kafka sink, which would set this itself). */
    public void acknowledged(RecordMetadata metadata) {
        result.setResult(metadata);
    }

    public int partition() {
        RecordMetadata m = result.getResult();
        return m == null ? -1 : m.partition();
    }

    public long offset() {
        RecordMetadata m = result.getResult();
        return m == null || !m.hasOffset() ? -1 : m.offset();
    }

    java.time.Duration elapsed() {
        return java.time.Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
