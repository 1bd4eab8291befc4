package io.deliverylab.stack;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/** Who leads the partitions of some topics: the one place the lab counts leaders and picks "the leader". */
public final class Leaders {

    private Leaders() {
    }

    /**
     * How many partitions of {@code topics} each node leads now, read in one request: a fault aimed at
     * "the leader" at a given time must not wait for a client per partition. Partitions with no leader
     * are not counted.
     */
    public static Map<Integer, Integer> count(Admin admin, Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<Integer, Integer> led = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS).values().forEach(d -> d.partitions().forEach(p -> {
            if (p.leader() != null && !p.leader().isEmpty()) {
                led.merge(p.leader().id(), 1, Integer::sum);
            }
        }));
        return led;
    }

    /** The node that leads most partitions in {@code led}, ties to the lowest id; empty if none leads any. */
    public static Optional<Integer> busiest(Map<Integer, Integer> led) {
        return led.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey);
    }
}
