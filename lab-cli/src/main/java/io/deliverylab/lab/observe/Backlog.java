package io.deliverylab.lab.observe;

import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.stack.StackInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What can still arrive at a run's consumers after they applied nothing for a while. The lab calls a
 * quiet run settled, and judges it, only when the answer is nothing: otherwise a consumer that is
 * slow to come back would be judged as one that lost. Asked of Kafka itself, not of the services:
 * <ul>
 * <li>a transaction in a mode's log neither committed nor aborted yet: the log end is past the last
 * stable offset, and read_committed readers wait for the outcome (at most transaction.timeout.ms);</li>
 * <li>a consumer group that is not stable, or has partitions no member owns: nobody reads them;</li>
 * <li>records a member has not read yet ({@code deliverylab_consumer_backlog_records}, from each
 * consumer URL the stack lists; on Kubernetes that is one Service, so one replica's view).</li>
 * </ul>
 */
public final class Backlog {

    private static final long TIMEOUT_SECONDS = 5;

    private Backlog() {
    }

    /** Why the modes' consumers may not be done yet, or empty if nothing more can reach them. */
    public static Optional<String> pending(StackInfo info, Collection<DeliveryMode> modes) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, info.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        List<String> reasons = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Map<DeliveryMode, List<TopicPartition>> partitions = partitions(admin, modes);
            reasons.addAll(undecidedTransactions(admin, partitions));
            reasons.addAll(unsettledGroups(admin, partitions));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // whoever interrupted ends the wait; the answer is "not known"
            reasons.add("interrupted while asking Kafka");
        } catch (Exception e) {
            reasons.add("Kafka does not answer (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        String backlog = ConsumerMeters.series(ConsumerMeters.BACKLOG, "");
        ServiceClient.sums(info.consumerUrls(), List.of(backlog), modes).get(backlog).forEach((mode, unread) -> {
            if (unread > 0) {
                reasons.add(String.format("%s: %.0f records not read yet", mode.wireName(), unread));
            }
        });
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** Each mode's topic partitions as Kafka has them (the bench may create more than {@code Topics.PARTITIONS}). */
    static Map<DeliveryMode, List<TopicPartition>> partitions(Admin admin, Collection<DeliveryMode> modes) throws Exception {
        Map<String, TopicDescription> topics = admin.describeTopics(modes.stream().map(DeliveryMode::topic).toList())
                .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<DeliveryMode, List<TopicPartition>> partitions = new LinkedHashMap<>();
        for (DeliveryMode mode : modes) {
            partitions.put(mode, topics.get(mode.topic()).partitions().stream()
                    .map(p -> new TopicPartition(mode.topic(), p.partition())).toList());
        }
        return partitions;
    }

    static List<String> undecidedTransactions(Admin admin, Map<DeliveryMode, List<TopicPartition>> partitions) throws Exception {
        List<TopicPartition> transactional = partitions.entrySet().stream().filter(e -> e.getKey().transactional())
                .flatMap(e -> e.getValue().stream()).toList();
        if (transactional.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, Long> end = endOffsets(admin, transactional, IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> stable = endOffsets(admin, transactional, IsolationLevel.READ_COMMITTED);
        return transactional.stream().filter(tp -> end.get(tp) > stable.get(tp))
                .map(tp -> String.format("%s: an open transaction on partition %d (log end %d, last stable offset %d)",
                        tp.topic(), tp.partition(), end.get(tp), stable.get(tp)))
                .toList();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions, IsolationLevel isolation)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        return admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    static List<String> unsettledGroups(Admin admin, Map<DeliveryMode, List<TopicPartition>> partitions) throws Exception {
        Map<String, DeliveryMode> byGroup = partitions.keySet().stream().filter(m -> !m.shareGroup())
                .collect(Collectors.toMap(DeliveryMode::consumerGroup, m -> m));
        List<String> reasons = new ArrayList<>(unsettledShareGroups(admin, partitions.keySet()));
        if (byGroup.isEmpty()) {
            return reasons;
        }
        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(byGroup.keySet()).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (var e : groups.entrySet()) {
            DeliveryMode mode = byGroup.get(e.getKey());
            ConsumerGroupDescription group = e.getValue();
            long owned = group.members().stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream())
                    .filter(tp -> tp.topic().equals(mode.topic())).distinct().count();
            int all = partitions.get(mode).size();
            if (group.groupState() != GroupState.STABLE || owned < all) {
                reasons.add(String.format("%s: consumer group %s, %d of %d partitions owned", mode.wireName(),
                        group.groupState().toString().toLowerCase(), owned, all));
            }
        }
        return reasons;
    }

    /**
     * A share group with no member: nobody takes its records. (What a killed member held comes back when
     * its acquisition lock ends, shorter on the lab's brokers than the quiet period that precedes this check.)
     */
    static List<String> unsettledShareGroups(Admin admin, Collection<DeliveryMode> modes) throws Exception {
        List<String> groups = modes.stream().filter(DeliveryMode::shareGroup).map(DeliveryMode::consumerGroup).toList();
        if (groups.isEmpty()) {
            return List.of();
        }
        List<String> reasons = new ArrayList<>();
        admin.describeShareGroups(groups).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((id, group) -> {
            if (group.members().isEmpty()) {
                reasons.add(String.format("share group %s: %s, no member", id, group.groupState().toString().toLowerCase()));
            }
        });
        return reasons;
    }
}
