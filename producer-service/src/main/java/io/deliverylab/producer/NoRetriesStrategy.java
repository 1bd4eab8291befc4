package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Pitfall {@code no-retries} (myth 2, pitfall 3): "turn retries off and nothing is ever sent twice,
 * so with acks=all that is exactly-once". acks=all, {@code retries=0}, no idempotence; the
 * checkpoint moves after the batch is answered, as in at-least-once, but a send the brokers refuse
 * (a leader failing over answers NOT_LEADER, a retriable error) is never sent again: it is lost.
 * One batch at a time, as a service built on that belief would send.
 */
@ApplicationScoped
public class NoRetriesStrategy implements DeliveryStrategy {

    @Inject
    @Channel("no-retries")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
    MutinyEmitter<String> emitter;

    @Inject
    RunStore store;

    @Inject
    Acknowledgements acknowledgements;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.NO_RETRIES;
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        var sent = acknowledgements.send(run, batch.stream().map(Outbound::new).toList(), emitter);
        return () -> {
            acknowledgements.await(run, sent); // the failed sends are counted and dropped: no retry, by design
            store.checkpointPast(run, batch, last);
        };
    }
}
