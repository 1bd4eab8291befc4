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
 * Checkpoint first ({@link #claim}), then send once (acks=1, retries=0, no idempotence): a kill after the
 * checkpoint loses the batch in flight, and nothing is ever sent twice.
 */
@ApplicationScoped
public class AtMostOnceStrategy implements DeliveryStrategy {

    @Inject
    @Channel("at-most-once")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
    MutinyEmitter<String> emitter;

    @Inject
    RunStore store;

    @Inject
    Acknowledgements acknowledgements;

    @Inject
    ProducerMetrics metrics;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.AT_MOST_ONCE;
    }

    /** The checkpoint moves past the batch as soon as it is decided: from here on a kill loses it. */
    @Override
    public void claim(Run run, long fromSeq, long toSeq, boolean last) {
        run.countSent(toSeq - fromSeq);
        metrics.sent(mode(), toSeq - fromSeq);
        store.save(run.checkpoint(toSeq, DeliveryStrategy.stateAfter(last), 0));
        run.advanceTo(toSeq);
    }

    @Override
    public void send(Run run, List<Transfer> batch, boolean last) {
        // Failures are lost by design: no retry.
        acknowledgements.sendAndAwait(run, batch.stream().map(Outbound::new).toList(), emitter);
    }
}
