package io.deliverylab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The nemesis follows the schedule as data, records what it did, and records what it could not do. */
class NemesisTest {

    /** Records the calls; refuses to pause, like the Kubernetes target. */
    static final class RecordingStack implements StackControl {
        final List<String> calls = new ArrayList<>();

        @Override
        public StackInfo info() {
            return null;
        }

        @Override
        public String kill(Target target) {
            calls.add("kill " + target.name);
            return target == Target.LEADER ? "kafka-2" : target.name;
        }

        @Override
        public String pause(Target target) {
            throw new LabException("no SIGSTOP here");
        }

        @Override
        public void heal(String victim) {
            calls.add("heal " + victim);
        }

        @Override
        public void publish(Experiment.Outcome outcome) {
        }
    }

    @Test
    void firesOnAcknowledgedCountRepeatsAndHeals() {
        RecordingStack stack = new RecordingStack();
        AtomicLong acked = new AtomicLong(0);
        FaultSchedule schedule = FaultSchedule.parse("kill-consumer@10:every=0.1s:times=2,kill-leader@20:for=0.1s", 100, 1);
        assertThat(schedule.faults()).hasSize(2);
        Nemesis nemesis = new Nemesis(stack, schedule, acked::get, System.currentTimeMillis());
        Thread t = new Thread(nemesis);
        t.start();
        acked.set(25);
        assertThat(join(t)).isTrue();
        assertThat(stack.calls).containsExactly("kill consumer", "kill consumer", "kill leader", "heal kafka-2");
        assertThat(nemesis.events()).extracting(FaultEvent::action).containsExactly("kill", "kill", "kill", Nemesis.HEAL);
        assertThat(nemesis.finished()).isTrue();
    }

    @Test
    void aFaultThatCannotBeInjectedIsRecordedAsFailed() {
        RecordingStack stack = new RecordingStack();
        Nemesis nemesis = new Nemesis(stack, FaultSchedule.parse("pause-leader@0s:for=1s", 100, 1), () -> 0,
                System.currentTimeMillis());
        nemesis.run();
        assertThat(nemesis.events()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Nemesis.FAILED);
            assertThat(e.victim()).contains("no SIGSTOP here");
        });
        assertThat(stack.calls).isEmpty();
    }

    @Test
    void badSpecsAreRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> FaultSchedule.parse("kill-everything@3", 100, 1)).hasMessageContaining("ACTION-TARGET@WHEN");
        assertThatThrownBy(() -> FaultSchedule.parse("pause-producer@3", 100, 1)).hasMessageContaining("pause works on");
        assertThatThrownBy(() -> FaultSchedule.parse("kill-consumer@3:times=3", 100, 1)).hasMessageContaining("needs every");
        assertThat(FaultSchedule.parse("random:4", 1000, 7)).isEqualTo(FaultSchedule.parse("random:4", 1000, 7));
        assertThat(FaultSchedule.parse("random:4", 1000, 7).faults()).hasSize(4);
    }

    private static boolean join(Thread t) {
        try {
            t.join(10_000);
            return !t.isAlive();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
