package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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

    @ConfigProperty(name = "deliverylab.producer.window", defaultValue = "4")
    int window;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.AT_MOST_ONCE;
    }

    @Override
    public int window() {
        return window;
    }

    /**
     * The checkpoint moves past the batch as soon as it is decided: from here on a kill loses it.
     * It is claimed ahead, a window of batches at a time, so one checkpoint write serves several
     * batches; a kill loses at most the claimed window, and the run never re-sends any of it.
     */
    @Override
    public void claim(Run run, long fromSeq, long toSeq, boolean last) {
        if (toSeq <= run.nextSeq()) {
            return; // claimed with an earlier batch
        }
        long messages = run.definition().messages();
        long until = Math.min(messages, fromSeq + (toSeq - fromSeq) * (long) Math.max(1, window));
        store.save(run.checkpoint(until, DeliveryStrategy.stateAfter(until == messages), 0));
        run.advanceTo(until);
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        var sent = acknowledgements.send(run, batch.stream().map(Outbound::new).toList(), emitter);
        return () -> acknowledgements.await(run, sent); // failures are lost by design: no retry
    }
}
