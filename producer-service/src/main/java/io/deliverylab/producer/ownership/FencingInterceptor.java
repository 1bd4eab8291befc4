package io.deliverylab.producer.ownership;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hears the brokers refuse a record of the exactly-once producer for an old epoch. Once a newer
 * instance fenced this one, the transaction in flight may never complete through the messaging
 * API, so the strategy asks here instead of waiting, and then probes whether it was really fenced. Kafka instantiates interceptors itself
 * ({@code interceptor.classes}), hence the static holder.
 */
public class FencingInterceptor implements ProducerInterceptor<String, String> {

    private static final AtomicReference<Exception> FENCING = new AtomicReference<>();

    /** An epoch error seen by an exactly-once send of this process since the last {@link #clear}, or null. */
    public static Exception fencingError() {
        return FENCING.get();
    }

    /** After a probe showed that the error was a timed-out transaction, not a newer instance. */
    public static void clear(Exception seen) {
        FENCING.compareAndSet(seen, null);
    }

    @Override
    public ProducerRecord<String, String> onSend(ProducerRecord<String, String> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception != null && InstanceFencedException.maybeFencing(exception)) {
            FENCING.compareAndSet(null, exception);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
