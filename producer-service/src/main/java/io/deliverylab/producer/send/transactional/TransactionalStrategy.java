package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.checkpoint.RunStore;
import io.deliverylab.producer.config.ProducerSettings;
import io.deliverylab.producer.config.TopicSettings;
import io.deliverylab.producer.metrics.ProducerMetrics;
import io.deliverylab.producer.ownership.Fencing;
import io.deliverylab.producer.ownership.ProducerRestart;
import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.run.RunCheckpoints;
import io.deliverylab.producer.send.Acknowledgements;
import io.deliverylab.producer.send.DeliveryStrategy;
import io.deliverylab.contract.Transfer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The batch and its checkpoint in one Kafka transaction (idempotent, transactional producer):
 * either both become visible to read_committed readers or neither. A restarted instance with the
 * same transactional.id aborts the open transaction when it initialises, then resumes from the last
 * committed checkpoint, so a kill neither skips nor duplicates. Each transactional mode is a subclass
 * that names its channels; how a run's transactions spread over them is a {@link TransactionalSender},
 * chosen once at start (docs/design/slices.md).
 */
public abstract class TransactionalStrategy implements DeliveryStrategy {

    @Inject
    RunStore store;

    @Inject
    RunCheckpoints checkpoints;

    @Inject
    Acknowledgements acknowledgements;

    @Inject
    ProducerMetrics metrics;

    @Inject
    Fencing fencing;

    @Inject
    ProducerRestart restart;

    @Inject
    KafkaClientService clients;

    @Inject
    ProducerSettings settings;

    @Inject
    TopicSettings topics;

    /**
     * The mode's transactional channels, each with its own transactional.id that is stable across
     * restarts. Each one runs one transaction at a time; concurrent runs of the mode take turns.
     */
    protected abstract List<KafkaTransactions<String>> producers();

    /**
     * Whether this producer stops when the instance learns it was fenced, and treats an old-epoch
     * refusal as a fencing: only with a stable transactional.id. The pitfall with a new one per start
     * models a producer nothing fences, or the instance's other producers would fence it on its behalf.
     */
    private boolean stepsDownWhenFenced() {
        return mode().stableTransactionalId();
    }

    private Transactions transactions;
    private TransactionalSender sender;
    private SlicedSender sliced;
    private int lanes;

    @PostConstruct
    void senders() {
        List<KafkaTransactions<String>> all = producers();
        List<String> channels = mode().producerChannels();
        List<TransactionalProducer> producers = IntStream.range(0, all.size())
                .mapToObj(i -> new TransactionalProducer(i, all.get(i), channels.get(i), mode().topic(), clients)).toList();
        transactions = new Transactions(mode(), producers, stepsDownWhenFenced(), this);
        TransactionalSender own = ownSender(transactions);
        lanes = own != null ? 1 : Math.max(1, Math.min(settings.transactionalSlices(), producers.size()));
        int used = Math.max(1, Math.min(settings.transactionalPipeline(), producers.size()));
        // A run that has partition checkpoints goes on in slices, whatever this instance is configured for.
        sliced = new SlicedSender(transactions, lanes, topics.partitions());
        sender = own != null ? own : lanes > 1 ? sliced : used == 1 ? new InTurnSender(transactions) : new OverlappedSender(transactions, used);
    }

    /** A mode's own way to use its producers, whatever this instance is configured for; null: in turn, overlapped or sliced as configured. */
    TransactionalSender ownSender(Transactions transactions) {
        return null;
    }

    /**
     * Makes sure every transactional producer of this instance is initialised, which fences (bumps
     * the epoch of, and aborts the open transaction of) any older instance with the same
     * transactional.ids. The resumer calls it before it reads the checkpoints, so no older instance
     * can commit a batch after that read.
     */
    public void fenceOlderInstances() {
        for (TransactionalProducer producer : transactions.producers) {
            producer.free.acquireUninterruptibly();
            try {
                producer.transactions.withTransaction(tx -> Uni.createFrom().voidItem()).await().atMost(settings.transactionTimeout());
            } finally {
                producer.free.release();
            }
        }
    }

    @Override
    public int window(int configured) {
        return sender.window(configured);
    }

    /** In slices, each producer's transaction holds about {@code transaction-size} messages of a batch. */
    @Override
    public int batchSize(int configured) {
        return settings.transactionSize() * lanes;
    }

    @Override
    public Duration pacing(Duration configured) {
        return settings.transactionPacing();
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        return (run.sliced() ? sliced : sender).send(run, batch, last);
    }
}
