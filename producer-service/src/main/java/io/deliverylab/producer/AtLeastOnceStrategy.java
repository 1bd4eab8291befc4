package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Send, resend whatever failed until the brokers acknowledge it, and only then checkpoint
 * (acks=all, retries, no idempotence, 5 requests in flight): a kill before the checkpoint makes
 * the restarted producer send the batch again, and a retried request can duplicate or reorder.
 * Up to {@code deliverylab.producer.window} batches are in flight; the checkpoint covers the
 * contiguous acknowledged prefix only and is stored at most every
 * {@code deliverylab.producer.checkpoint-interval}, so a kill re-sends at most the window plus that interval's batches.
 */
@ApplicationScoped
public class AtLeastOnceStrategy implements DeliveryStrategy {

    @Inject
    @Channel("at-least-once")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
    MutinyEmitter<String> emitter;

    @Inject
    RunStore store;

    @Inject
    Acknowledgements acknowledgements;

    @ConfigProperty(name = "deliverylab.producer.retry-backoff", defaultValue = "PT1S")
    Duration backoff;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.AT_LEAST_ONCE;
    }

    @Override
    public int window(int configured) {
        return configured;
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        var sent = acknowledgements.send(run, batch.stream().map(Outbound::new).toList(), emitter);
        return () -> {
            List<Outbound> pending = acknowledgements.await(run, sent);
            while (!pending.isEmpty()) {
                RunExecutor.pause(backoff);
                pending = acknowledgements.sendAndAwait(run, pending.stream().map(o -> new Outbound(o.transfer)).toList(), emitter);
            }
            // Only now, with every earlier batch settled before this one, may the checkpoint pass it.
            store.checkpointPast(run, batch, last);
        };
    }
}
