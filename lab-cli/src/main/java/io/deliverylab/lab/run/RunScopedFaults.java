package io.deliverylab.lab.run;

import io.deliverylab.lab.LabException;
import io.deliverylab.lab.nemesis.StackControl;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.lab.nemesis.VictimUnavailable;
import io.deliverylab.lab.stack.Stack;
import io.deliverylab.stack.Leaders;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The stack's faults, with {@code leader} aimed at this experiment's own topics: the broker leading
 * most of their partitions, ties to the lowest id. Counted over every mode's topic, a fault on two
 * modes could hit a broker that leads none of theirs (after earlier faults moved the leaders) and
 * show nothing.
 */
final class RunScopedFaults implements StackControl {

    private final StackControl stack;
    /** Partitions led per broker node id, over the experiment's topics. */
    private final Supplier<Map<Integer, Integer>> partitionsLed;
    /** The {@code kafka-N} target of a node id (the stacks number their brokers differently). */
    private final IntFunction<Target> broker;

    RunScopedFaults(StackControl stack, Supplier<Map<Integer, Integer>> partitionsLed, IntFunction<Target> broker) {
        this.stack = stack;
        this.partitionsLed = partitionsLed;
        this.broker = broker;
    }

    /** Asks the stack's Kafka, when a fault needs it, who leads {@code topics}. */
    static RunScopedFaults of(Stack stack, Collection<String> topics) {
        return new RunScopedFaults(stack, () -> partitionsLed(stack.info().bootstrapServers(), topics), stack::broker);
    }

    @Override
    public String kill(Target target) {
        return stack.kill(aim(target));
    }

    @Override
    public String pause(Target target) {
        return stack.pause(aim(target));
    }

    @Override
    public String partition(Target target) {
        return stack.partition(aim(target));
    }

    @Override
    public String add(Target target) {
        return stack.add(target);
    }

    @Override
    public boolean restarting(String victim) {
        return stack.restarting(victim);
    }

    @Override
    public void heal(String victim) {
        stack.heal(victim);
    }

    /** {@code leader} becomes the named broker that leads most of the experiment's partitions; any other target stays. */
    Target aim(Target target) {
        if (target.kind() != Target.Kind.LEADER) {
            return target;
        }
        return Leaders.busiest(partitionsLed.get()).map(broker::apply)
                .orElseThrow(() -> new VictimUnavailable("no partition of this experiment's topics has a leader"));
    }

    private static Map<Integer, Integer> partitionsLed(String bootstrapServers, Collection<String> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(props)) {
            return Leaders.count(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while asking Kafka for the leader");
        } catch (Exception e) {
            throw new VictimUnavailable("cannot ask Kafka who leads " + topics + ": " + e.getMessage());
        }
    }
}
