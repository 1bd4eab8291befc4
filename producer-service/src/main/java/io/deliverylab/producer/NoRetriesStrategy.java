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
 * Up to {@code deliverylab.producer.window} batches in flight, as at-least-once: it differs from
 * at-least-once only in the retries. The batches sent while a leader is stalled are the ones its
 * NOT_LEADER answers lose. One batch at a time (as before) put only the batch in flight when the
 * stall began at risk, and when the followers had already fetched it nothing was lost (CI: myth 2
 * not shown, 24 sends refused and 0 lost).
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
    public int window(int configured) {
        return configured;
    }

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
