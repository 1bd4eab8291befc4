package io.deliverylab.producer.send;

import io.deliverylab.producer.config.ProducerSettings;
import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.run.RunCheckpoints;
import io.deliverylab.contract.Transfer;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The shell of the modes without transactions: each record through the channel's emitter, up to
 * {@code deliverylab.producer.window} batches in flight, and what follows the brokers' answers
 * (resend, checkpoint) left to the mode.
 */
public abstract class EmitterStrategy implements DeliveryStrategy {

    @Inject
    protected Acknowledgements acknowledgements;

    @Inject
    protected RunCheckpoints checkpoints;

    @Inject
    protected ProducerSettings settings;

    /** The mode's channel. */
    protected abstract MutinyEmitter<String> emitter();

    /** What follows once the brokers answered the batch; {@code refused} are the sends they did not acknowledge. */
    protected abstract void settle(Run run, List<Transfer> batch, boolean last, List<Outbound> refused);

    /** Called before the batch is handed to the emitter. */
    protected void beforeSend(Run run) {
    }

    @Override
    public int window(int configured) {
        return configured;
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        beforeSend(run);
        var sent = acknowledgements.send(run, batch.stream().map(Outbound::new).toList(), emitter());
        return () -> settle(run, batch, last, acknowledgements.await(run, sent));
    }
}
