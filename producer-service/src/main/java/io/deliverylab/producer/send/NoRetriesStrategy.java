package io.deliverylab.producer.send;

import io.deliverylab.producer.run.Run;
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
public class NoRetriesStrategy extends EmitterStrategy {

    @Inject
    @Channel("no-retries")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
    MutinyEmitter<String> emitter;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.NO_RETRIES;
    }

    @Override
    protected void settle(Run run, List<Transfer> batch, boolean last, List<Outbound> refused) {
        // the refused sends are counted and dropped: no retry, by design
        checkpoints.checkpointPast(run, batch, last);
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
