package io.deliverylab.producer.send;

import io.deliverylab.contract.Transfer;
import io.deliverylab.producer.config.Backoff;
import io.deliverylab.producer.run.Run;
import java.util.List;

/**
 * Send, resend whatever failed until the brokers acknowledge it, and only then checkpoint
 * (acks=all, retries, no idempotence, 5 requests in flight): a kill before the checkpoint makes
 * the restarted producer send the batch again, and a retried request can duplicate or reorder.
 * Up to {@code deliverylab.producer.window} batches are in flight; the checkpoint covers the
 * contiguous acknowledged prefix only and is stored at most every
 * {@code deliverylab.producer.checkpoint-interval}, so a kill re-sends at most the window plus that interval's batches.
 */
public abstract class ResendingStrategy extends EmitterStrategy {

    @Override
    protected void settle(Run run, List<Transfer> batch, boolean last, List<Outbound> refused) {
        List<Outbound> pending = refused;
        while (!pending.isEmpty()) {
            Backoff.pause(settings.retryBackoff());
            pending = acknowledgements.sendAndAwait(run, pending.stream().map(o -> new Outbound(o.transfer)).toList(), emitter());
        }
        // Only now, with every earlier batch settled before this one, may the checkpoint pass it.
        checkpoints.checkpointPast(run, batch, last);
    }
}
