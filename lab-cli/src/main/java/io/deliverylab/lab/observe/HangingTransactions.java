package io.deliverylab.lab.observe;

import io.deliverylab.contract.DeliveryMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Transactions left open on a mode's partitions that no transaction coordinator is finishing, as
 * {@code kafka-transactions.sh find-hanging} finds them: a partition still holds a producer's open
 * transaction (its last stable offset cannot pass it, so read_committed readers stop there) while
 * the coordinator has no ongoing transaction of that producer on that partition. Asked once the run
 * settled, twice a moment apart, so a commit whose markers are still on their way is not counted.
 */
public final class HangingTransactions {

    /** An open transaction on one partition: which producer, since which offset. */
    public record Open(TopicPartition partition, long producerId, int producerEpoch, long startOffset) {
    }

    private HangingTransactions() {
    }

    /** The hanging transactions on {@code mode}'s topic; -1 when Kafka could not be asked. */
    public static long count(String bootstrapServers, DeliveryMode mode) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            List<TopicPartition> tps = Backlog.partitions(admin, List.of(mode)).get(mode);
            Set<Open> first = hanging(admin, tps);
            if (first.isEmpty()) {
                return 0;
            }
            Thread.sleep(Duration.ofSeconds(2).toMillis());
            Set<Open> again = hanging(admin, tps);
            again.retainAll(first);
            return again.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            System.err.println("hanging transactions on " + mode.topic() + ": cannot ask Kafka (" + e + ")");
            return -1;
        }
    }

    private static Set<Open> hanging(Admin admin, List<TopicPartition> tps) throws Exception {
        Map<TopicPartition, List<ProducerState>> producers = new HashMap<>();
        admin.describeProducers(tps).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, state) -> producers.put(tp, state.activeProducers()));
        List<Open> open = open(producers);
        if (open.isEmpty()) {
            return Set.of();
        }
        Set<Long> ids = new HashSet<>();
        open.forEach(o -> ids.add(o.producerId()));
        List<String> transactionalIds = admin.listTransactions(new ListTransactionsOptions().filterProducerIds(ids)).all()
                .get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId).toList();
        Map<String, TransactionDescription> described = transactionalIds.isEmpty() ? Map.of()
                : admin.describeTransactions(transactionalIds).all().get(30, TimeUnit.SECONDS);
        return hanging(open, described.values());
    }

    /** The open transactions on each partition, from the partitions' producer states. */
    static List<Open> open(Map<TopicPartition, List<ProducerState>> producers) {
        List<Open> open = new ArrayList<>();
        producers.forEach((tp, states) -> states.forEach(s -> s.currentTransactionStartOffset().ifPresent(
                offset -> open.add(new Open(tp, s.producerId(), s.producerEpoch(), offset)))));
        return open;
    }

    /** Which of {@code open} no coordinator is finishing: its producer has no ongoing transaction on that partition. */
    static Set<Open> hanging(List<Open> open, java.util.Collection<TransactionDescription> coordinators) {
        Set<Open> hanging = new HashSet<>();
        for (Open o : open) {
            boolean finishing = coordinators.stream().anyMatch(d -> d.producerId() == o.producerId()
                    && d.topicPartitions().contains(o.partition())
                    && (d.state() == TransactionState.ONGOING || d.state() == TransactionState.PREPARE_COMMIT
                            || d.state() == TransactionState.PREPARE_ABORT || d.state() == TransactionState.PREPARE_EPOCH_FENCE));
            if (!finishing) {
                hanging.add(o);
            }
        }
        return hanging;
    }
}
