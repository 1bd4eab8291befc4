package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.TransferCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/** Turns a polled batch into deliveries; what is not a valid transfer of this mode goes to the dead-letter topic. */
@ApplicationScoped
public class DeliveryReader {

    @Inject
    DeadLetters deadLetters;

    public List<Delivery> read(DeliveryMode mode, ConsumerRecords<String, String> records) {
        return read(mode, (Iterable<ConsumerRecord<String, String>>) records);
    }

    public List<Delivery> read(DeliveryMode mode, Iterable<ConsumerRecord<String, String>> records) {
        List<Delivery> deliveries = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                Transfer t = TransferCodec.decode(record.value());
                if (t.mode() != mode) {
                    throw new TransferCodec.MalformedTransferException(
                            "mode " + t.mode().wireName() + " on the " + mode.wireName() + " topic");
                }
                deliveries.add(new Delivery(t, record.topic(), record.partition(), record.offset()));
            } catch (TransferCodec.MalformedTransferException e) {
                deadLetters.send(mode, record, e.getMessage());
            }
        }
        return deliveries;
    }
}
