package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.send.Outbound;
import io.deliverylab.producer.send.DeliveryStrategy.Settlement;
import io.deliverylab.contract.Transfer;
import java.util.List;
import org.jboss.logging.Logger;

/** One transaction at a time on the mode's first producer, retried in place until it commits (stop-and-wait). */
final class InTurnSender implements TransactionalSender {

    private static final Logger LOG = Logger.getLogger(InTurnSender.class);

    private final Transactions tx;

    InTurnSender(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public int window(int configured) {
        return 1;
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        TransactionalProducer producer = tx.producers.get(0);
        long next = Run.seqAfter(batch);
        while (true) {
            tx.checkFenced();
            List<Outbound> outs = batch.stream().map(Outbound::new).toList();
            run.countSent(outs.size());
            tx.metrics.sent(tx.mode, outs.size());
            var checkpoint = tx.store.exactlyOnceCheckpoint(run.checkpoint(next, Run.stateAfter(last), outs.size()));
            tx.acquire(producer, run);
            try {
                tx.transact(producer, run, outs, List.of(checkpoint));
                tx.committed(run, producer, outs, next);
                return Settlement.DONE;
            } catch (RuntimeException e) {
                tx.abandoned(run, producer, outs, e);
                // Aborted: none of the batch is visible to read_committed readers, so send it all again.
                if (!Transactions.onPurpose(e)) {
                    LOG.warnf("run %s: transaction for seq %d..%d aborted (%s), retrying", run.id(), batch.get(0).seq(), next - 1, e.toString());
                }
                tx.pauseAfter(e);
            } finally {
                producer.free.release();
                tx.acknowledgements.flushLedger();
            }
        }
    }
}
