package io.deliverylab.lab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverylab.lab.nemesis.StackControl;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.lab.nemesis.VictimUnavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "leader" is the broker that leads most of the experiment's own partitions; every other target reaches the stack as given. */
class RunScopedFaultsTest {

    private final List<String> calls = new ArrayList<>();

    private final StackControl stack = new StackControl() {
        @Override
        public String kill(Target target) {
            calls.add("kill " + target.name());
            return target.name();
        }

        @Override
        public String pause(Target target) {
            calls.add("pause " + target.name());
            return target.name();
        }

        @Override
        public String partition(Target target) {
            calls.add("partition " + target.name());
            return target.name();
        }

        @Override
        public void heal(String victim) {
            calls.add("heal " + victim);
        }
    };

    private RunScopedFaults faults(Map<Integer, Integer> led) {
        return new RunScopedFaults(stack, () -> led, id -> new Target(Target.Kind.KAFKA, id));
    }

    @Test
    void theLeaderIsTheBrokerLeadingMostOfTheExperimentsPartitionsTiesToTheLowestId() {
        RunScopedFaults faults = faults(Map.of(1, 1, 2, 3, 3, 3));
        faults.pause(Target.LEADER);
        faults.kill(Target.LEADER);
        faults.partition(Target.LEADER);
        faults.heal("kafka-2");
        assertThat(calls).containsExactly("pause kafka-2", "kill kafka-2", "partition kafka-2", "heal kafka-2");
    }

    @Test
    void otherTargetsAreNotAimed() {
        RunScopedFaults faults = new RunScopedFaults(stack, () -> {
            throw new AssertionError("Kafka is asked only for the leader");
        }, id -> new Target(Target.Kind.KAFKA, id));
        faults.kill(Target.parse("kafka-3"));
        faults.pause(Target.CONTROLLER);
        faults.kill(Target.CONSUMER);
        assertThat(calls).containsExactly("kill kafka-3", "pause controller", "kill consumer");
    }

    @Test
    void theStackNumbersItsBrokers() {
        // a Kubernetes stack's node ids are its pods' ordinals, from 0
        new RunScopedFaults(stack, () -> Map.of(0, 2, 1, 1), id -> new Target(Target.Kind.KAFKA, id + 1)).pause(Target.LEADER);
        assertThat(calls).containsExactly("pause kafka-1");
    }

    @Test
    void noLeaderIsNoVictimNotAFailure() {
        assertThatThrownBy(() -> faults(Map.of()).kill(Target.LEADER)).isInstanceOf(VictimUnavailable.class)
                .hasMessageContaining("no partition of this experiment's topics has a leader");
        assertThat(calls).isEmpty();
    }
}
