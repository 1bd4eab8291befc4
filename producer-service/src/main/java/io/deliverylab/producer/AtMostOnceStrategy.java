package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Checkpoint first, then send once (acks=1, retries=0, no idempotence): a kill after the
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

    @Override
    public void send(Run run, List<Transfer> batch, boolean last) {
        long next = DeliveryStrategy.nextSeq(batch);
        run.countSent(batch.size());
        metrics.sent(mode(), batch.size());
        store.save(run.checkpoint(next, DeliveryStrategy.stateAfter(last), 0));
        run.advanceTo(next);
        List<Outbound> outs = batch.stream().map(Outbound::new).toList();
        List<CompletableFuture<Void>> answers = outs.stream()
                .map(o -> emitter.sendMessage(o.message()).subscribeAsCompletionStage())
                .toList();
        acknowledgements.await(run, outs, answers); // failures are lost by design: no retry
    }
}
