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
 * Checkpoint first ({@link #claim}), then send once (acks=1, retries=0, no idempotence): a kill after the
 * checkpoint loses the batch in flight, and nothing is ever sent twice.
 */
@ApplicationScoped
public class AtMostOnceStrategy extends EmitterStrategy {

    @Inject
    @Channel("at-most-once")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
    MutinyEmitter<String> emitter;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.AT_MOST_ONCE;
    }

    /**
     * The checkpoint moves past the batch as soon as it is decided: from here on a kill loses it.
     * It is claimed ahead, a window of batches at a time, so one checkpoint write serves several
     * batches, and the run never re-sends any of it. The next window is claimed while the last batch
     * of the current one is still unsent, so there is always something claimed and unsent: claimed
     * only once the window was used up, a kill that landed during that claim's write (about a quarter
     * of the time with 20 ms batches) lost nothing, and ./lab demo showed no loss under kill-producer.
     * A kill loses at most the window plus the batch being sent.
     */
    @Override
    public void claim(Run run, long fromSeq, long toSeq, int window) {
        if (toSeq < run.nextSeq()) {
            return; // claimed with an earlier batch, and more of the claim follows it
        }
        long messages = run.definition().messages();
        int batches = Math.max(1, window) + (toSeq == run.nextSeq() && window > 1 ? 1 : 0);
        long until = Math.min(messages, fromSeq + (toSeq - fromSeq) * (long) batches);
        if (until <= run.nextSeq()) {
            return; // the run's end is claimed already
        }
        checkpoints.saveAsOwner(run, until);
        run.advanceTo(until);
    }

    /**
     * Sends the batch once. If its claim is older than {@code deliverylab.producer.at-most-once.recheck-after} (the process was stopped,
     * typically while it waited for the batch's due time), the run's checkpoint is stored again
     * first, unchanged: a newer instance with this instance id has fenced the checkpoint producer, so
     * the write is refused and this instance steps down before sending. Its claimed seqs are then
     * lost, which at-most-once allows; sent, they would land after the newer instance's records of
     * the same keys (a demo's pause-producer: 12 records sent on resume, 1,992 later ones overtaken).
     */
    @Override
    protected void beforeSend(Run run) {
        if (run.sinceOwned().compareTo(settings.atMostOnce().recheckAfter()) > 0) {
            checkpoints.reassertOwnership(run); // throws if a newer instance took the run over
        }
    }

    @Override
    protected void settle(Run run, List<Transfer> batch, boolean last, List<Outbound> refused) {
        // refused sends are lost by design: no retry
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
