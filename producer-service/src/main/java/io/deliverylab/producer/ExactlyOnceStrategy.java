package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * The batch and its checkpoint in one Kafka transaction (idempotent, transactional producer):
 * either both become visible to read_committed readers or neither. A restarted instance with the
 * same transactional.id aborts the open transaction when it initialises, then resumes from the
 * last committed checkpoint, so a kill neither skips nor duplicates.
 */
@ApplicationScoped
public class ExactlyOnceStrategy implements DeliveryStrategy {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceStrategy.class);

    @Inject
    @Channel("exactly-once")
    KafkaTransactions<String> transactions;

    @Inject
    RunStore store;

    @Inject
    Acknowledgements acknowledgements;

    @Inject
    ProducerMetrics metrics;

    @ConfigProperty(name = "deliverylab.producer.retry-backoff", defaultValue = "PT1S")
    Duration backoff;

    @ConfigProperty(name = "deliverylab.producer.transaction-timeout", defaultValue = "PT2M")
    Duration transactionTimeout;

    /** One producer, one transaction at a time: concurrent exactly-once runs take turns. */
    private final ReentrantLock oneTransactionAtATime = new ReentrantLock();

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.EXACTLY_ONCE;
    }

    @Override
    public void send(Run run, List<Transfer> batch, boolean last) {
        long next = DeliveryStrategy.nextSeq(batch);
        while (true) {
            List<Outbound> outs = batch.stream().map(Outbound::new).toList();
            run.countSent(outs.size());
            metrics.sent(mode(), outs.size());
            var checkpoint = store.exactlyOnceCheckpoint(run.checkpoint(next, DeliveryStrategy.stateAfter(last), outs.size()));
            oneTransactionAtATime.lock();
            try {
                transactions.withTransaction(tx -> {
                    outs.forEach(o -> tx.send(o.message()));
                    tx.send(checkpoint);
                    return Uni.createFrom().voidItem();
                }).await().atMost(transactionTimeout);
                metrics.transaction(true);
                outs.forEach(o -> acknowledgements.acked(run, o));
                run.advanceTo(next);
                return;
            } catch (RuntimeException e) {
                // Aborted: none of the batch is visible to read_committed readers, so send it all again.
                metrics.transaction(false);
                LOG.warnf("run %s: transaction for seq %d..%d aborted (%s), retrying",
                        run.id(), batch.get(0).seq(), next - 1, e.toString());
                outs.forEach(o -> acknowledgements.failed(run, o, e));
            } finally {
                oneTransactionAtATime.unlock();
                acknowledgements.flushLedger();
            }
            RunExecutor.pause(backoff);
        }
    }
}
