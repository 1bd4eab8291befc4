package io.deliverylab.producer.run;

import io.deliverylab.producer.checkpoint.RunStore;
import io.deliverylab.producer.config.ProducerSettings;
import io.deliverylab.contract.Transfer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** A run's checkpoints through {@link RunStore}'s own transactional producer: what proves this instance still owns the run. */
@ApplicationScoped
public class RunCheckpoints {

    @Inject
    RunStore store;

    @Inject
    ProducerSettings settings;

    /**
     * Stores the run's checkpoint at {@code nextSeq} as its owner, and notes when (see
     * {@link Run#sinceOwned}). Throws as {@link RunStore#save} does once a newer instance has taken over.
     */
    public void saveAsOwner(Run run, long nextSeq) {
        store.save(run.checkpoint(nextSeq, Run.stateAfter(nextSeq == run.definition().messages()), 0));
        run.owned();
    }

    /**
     * Stores the run's checkpoint again, unchanged, to learn whether this instance still owns the run:
     * a newer instance with this instance id fences the checkpoint producer first, so the write is
     * refused (it throws) if one exists. Harmless otherwise: the later of two checkpoints at the same
     * position wins on reading.
     */
    public void reassertOwnership(Run run) {
        saveAsOwner(run, run.nextSeq());
    }

    /**
     * Moves the run's position past a batch whose sends are settled, and its stored checkpoint with
     * it at most every {@code deliverylab.producer.checkpoint-interval} and after the last batch
     * (a restart sends more again, which the modes that use this allow).
     */
    public void checkpointPast(Run run, List<Transfer> batch, boolean last) {
        long next = Run.seqAfter(batch);
        if (last || run.checkpointDue(settings.checkpointInterval())) {
            store.save(run.checkpoint(next, Run.stateAfter(last), 0));
        }
        run.advanceTo(next);
    }
}
