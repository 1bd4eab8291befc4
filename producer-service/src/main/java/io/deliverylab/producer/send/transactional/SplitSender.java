package io.deliverylab.producer.send.transactional;

import io.deliverylab.contract.HoldFile;
import io.deliverylab.contract.Transfer;
import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.send.DeliveryStrategy.Settlement;
import io.deliverylab.producer.send.Outbound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The split-transaction pitfall's sending: the batch in a transaction of the first producer, then its
 * checkpoint in a transaction of the second, and the whole batch again if either did not commit.
 * A transaction is one producer session's, so the first one's commit stands when the second aborts.
 */
final class SplitSender implements TransactionalSender {

    private static final Logger LOG = Logger.getLogger(SplitSender.class);

    private final Transactions tx;
    private final Optional<Path> holdUntil;
    private final Duration holdAtMost;

    SplitSender(Transactions tx, Optional<Path> holdUntil, Duration holdAtMost) {
        this.tx = tx;
        this.holdUntil = holdUntil;
        this.holdAtMost = holdAtMost;
    }

    @Override
    public int window(int configured) {
        return 1;
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        TransactionalProducer records = tx.producers.get(0);
        TransactionalProducer checkpoints = tx.producers.get(1);
        long next = Run.seqAfter(batch);
        while (true) {
            tx.checkFenced();
            List<Outbound> outs = batch.stream().map(Outbound::new).toList();
            run.countSent(outs.size());
            tx.metrics.sent(tx.mode, outs.size());
            var checkpoint = tx.store.exactlyOnceCheckpoint(run.checkpoint(next, Run.stateAfter(last), outs.size()));
            tx.acquire(records, run);
            TransactionalProducer current = records;
            try {
                tx.acquire(checkpoints, run);
                try {
                    tx.transact(records, run, outs, List.of());
                    tx.committed(records);
                    holdBetweenCommits(run, batch);
                    current = checkpoints;
                    tx.transact(checkpoints, run, List.of(), List.of(checkpoint));
                    tx.committed(run, checkpoints, outs, next);
                    return Settlement.DONE;
                } finally {
                    checkpoints.free.release();
                }
            } catch (RuntimeException e) {
                tx.abandoned(run, current, outs, e);
                if (!Transactions.onPurpose(e)) {
                    LOG.warnf("run %s: a transaction for seq %d..%d aborted (%s), sending the batch again",
                            run.id(), batch.get(0).seq(), next - 1, e.toString());
                }
                tx.pauseAfter(e);
            } finally {
                records.free.release();
                tx.acknowledgements.flushLedger();
            }
        }
    }

    /** The test hook of {@code deliverylab.producer.hold-between-commits-until-file}: the batch is in the log, its checkpoint not yet. */
    private void holdBetweenCommits(Run run, List<Transfer> batch) {
        if (holdUntil.isEmpty() || Files.exists(holdUntil.get())) {
            return;
        }
        LOG.infof("split-transaction: run %s holding seq %d..%d between its records' commit and its checkpoint's until %s exists",
                run.id(), batch.get(0).seq(), batch.get(batch.size() - 1).seq(), holdUntil.get());
        HoldFile.await(holdUntil.get(), holdAtMost);
    }
}
