package io.deliverylab.lab.nemesis;

import io.deliverylab.lab.LabException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The nemesis follows the schedule as data, records what it did, and records what it could not do. */
class NemesisTest {

    /** Records the calls; refuses to pause, like the Kubernetes target. */
    static class RecordingStack implements StackControl {
        final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public String kill(Target target) {
            calls.add("kill " + target.name());
            return target.equals(Target.LEADER) ? "kafka-2" : target.name();
        }

        @Override
        public String pause(Target target) {
            throw new LabException("no SIGSTOP here");
        }

        @Override
        public void heal(String victim) {
            calls.add("heal " + victim);
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
        // The two faults run side by side: their calls interleave, each fault's own stay in order.
        assertThat(stack.calls).containsExactlyInAnyOrder("kill consumer", "kill consumer", "kill leader", "heal kafka-2");
        assertThat(stack.calls.indexOf("heal kafka-2")).isGreaterThan(stack.calls.indexOf("kill leader"));
        assertThat(nemesis.events()).extracting(FaultEvent::action).containsExactlyInAnyOrder("kill", "kill", "kill", Nemesis.HEAL);
        assertThat(nemesis.finished()).isTrue();
    }

    /**
     * A repeated kill counts its every from the killed service's return: a start slower than the
     * interval (a busy machine) delays the next kill instead of making it strike a service still
     * starting, which would be skipped.
     */
    @Test
    void aRepeatedKillWaitsForItsVictimToAnswerAgain() {
        java.util.Map<String, Long> backAt = new java.util.concurrent.ConcurrentHashMap<>();
        RecordingStack stack = new RecordingStack() {
            @Override
            public String kill(Target target) {
                backAt.put("consumer-1", System.currentTimeMillis() + 600); // answers again 600 ms after the kill
                calls.add("kill at " + System.currentTimeMillis());
                return "consumer-1";
            }

            @Override
            public boolean restarting(String victim) {
                return System.currentTimeMillis() < backAt.getOrDefault(victim, 0L);
            }
        };
        Nemesis nemesis = new Nemesis(stack, FaultSchedule.parse("kill-consumer-1@0s:every=0.2s:times=3", 100, 1), () -> 0,
                System.currentTimeMillis());
        nemesis.run();
        List<Long> kills = stack.calls.stream().map(c -> Long.parseLong(c.substring("kill at ".length()))).toList();
        assertThat(kills).hasSize(3);
        assertThat(kills.get(1) - kills.get(0)).as("600 ms restart + 200 ms every").isGreaterThanOrEqualTo(800);
        assertThat(kills.get(2) - kills.get(1)).isGreaterThanOrEqualTo(800);
        assertThat(nemesis.events()).extracting(FaultEvent::action).containsExactly("kill", "kill", "kill");
    }

    /** Faults found due together (their threads woke late on a loaded machine) strike in the schedule's order. */
    @Test
    void faultsDueTogetherStrikeInTheSchedulesOrder() {
        RecordingStack stack = new RecordingStack() {
            @Override
            public String kill(Target target) {
                if (target.kind() == Target.Kind.PRODUCER) {
                    try {
                        Thread.sleep(300); // a slow first kill: the others must not overtake it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.kill(target);
            }
        };
        FaultSchedule schedule = FaultSchedule.parse("kill-producer@2s,kill-consumer@3s,kill-leader@4s:for=0.1s,kill-postgres@1s:for=0.1s", 100, 1);
        new Nemesis(stack, schedule, () -> 0, System.currentTimeMillis() - 10_000).run();
        assertThat(stack.calls).filteredOn(c -> c.startsWith("kill"))
                .containsExactly("kill postgres", "kill producer", "kill consumer", "kill leader");
        assertThat(stack.calls).contains("heal postgres", "heal kafka-2");
    }

    @Test
    void aFaultThatCannotBeInjectedIsRecordedAsFailed() {
        RecordingStack stack = new RecordingStack();
        Nemesis nemesis = new Nemesis(stack, FaultSchedule.parse("pause-leader@0s:for=1s", 100, 1), () -> 0,
                System.currentTimeMillis());
        nemesis.run();
        assertThat(nemesis.events()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Nemesis.FAILED);
            assertThat(e.victim()).isEqualTo("pause leader");
            assertThat(e.reason()).contains("no SIGSTOP here");
        });
        assertThat(stack.calls).isEmpty();
    }

    /** A fault whose victim an earlier fault holds is skipped with the stack's reason, and never healed. */
    @Test
    void aFaultWithNoVictimIsRecordedAsSkippedNotFailed() {
        RecordingStack stack = new RecordingStack() {
            @Override
            public String kill(Target target) {
                if (target.kind() == Target.Kind.CONTROLLER) {
                    throw new VictimUnavailable("no active controller (kafka-1, kafka-2 held by kill brokers-2)");
                }
                return super.kill(target);
            }
        };
        Nemesis nemesis = new Nemesis(stack, FaultSchedule.parse("kill-controller@0s:for=0.1s,kill-consumer@0s", 100, 1), () -> 0,
                System.currentTimeMillis());
        nemesis.run();
        assertThat(nemesis.events()).filteredOn(e -> e.action().equals(Nemesis.SKIPPED)).singleElement().satisfies(e -> {
            assertThat(e.victim()).isEqualTo("kill controller");
            assertThat(e.reason()).contains("held by kill brokers-2");
            assertThat(e.struck()).isFalse();
        });
        assertThat(nemesis.events()).filteredOn(FaultEvent::struck).extracting(FaultEvent::victim).containsExactly("consumer");
        assertThat(stack.calls).containsExactly("kill consumer");
    }

    @Test
    void badSpecsAreRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> FaultSchedule.parse("kill-everything@3", 100, 1)).hasMessageContaining("ACTION-TARGET@WHEN");
        assertThatThrownBy(() -> FaultSchedule.parse("pause-brokers@3:n=2", 100, 1)).hasMessageContaining("pause works on");
        assertThatThrownBy(() -> FaultSchedule.parse("partition-producer@3", 100, 1)).hasMessageContaining("partition works on a broker");
        assertThatThrownBy(() -> FaultSchedule.parse("kill-brokers@3", 100, 1)).hasMessageContaining("n=1..3");
        assertThatThrownBy(() -> FaultSchedule.parse("kill-kafka@3", 100, 1)).hasMessageContaining("needs a number");
        assertThatThrownBy(() -> FaultSchedule.parse("kill-consumer@3:times=3", 100, 1)).hasMessageContaining("needs every");
        assertThatThrownBy(() -> FaultSchedule.parse("add-producer@3", 100, 1)).hasMessageContaining("add works on consumer");
        assertThatThrownBy(() -> FaultSchedule.parse("add-consumer-2@3", 100, 1)).hasMessageContaining("add works on consumer");
        assertThat(FaultSchedule.parse("random:4", 1000, 7)).isEqualTo(FaultSchedule.parse("random:4", 1000, 7));
        assertThat(FaultSchedule.parse("random:4", 1000, 7).faults()).hasSize(4);
    }

    @Test
    void aConsumerTheStackDoesNotRunIsRefusedBeforeTheRun() {
        assertThatThrownBy(() -> FaultSchedule.parse("kill-producer@2s,pause-consumer-3@3s", 100, 1).requireConsumers(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("there is no consumer-3 (the stack runs 2 consumers");
        assertThat(FaultSchedule.parse("pause-consumer-2@3s,kill-consumer@4s", 100, 1).requireConsumers(2).faults()).hasSize(2);
        assertThat(FaultSchedule.parse("kill-consumer@4s", 100, 1).requireConsumers(1).faults()).hasSize(1);
    }

    @Test
    void zombieAndMultiTargetFaultsParseWithTheirDefaultHolds() {
        var faults = FaultSchedule.parse("pause-consumer@3s,pause-consumer-2@4s:for=10s,pause-producer@5s,kill-brokers@6s:n=2,"
                + "kill-kafka-2@7s,partition-leader@8s,add-consumer@9s", 100, 1).faults();
        assertThat(faults).extracting(f -> f.action() + " " + f.target().name() + " " + f.forSeconds()).containsExactly(
                "pause consumer 20.0", "pause consumer-2 10.0", "pause producer 20.0", "kill brokers-2 15.0",
                "kill kafka-2 5.0", "partition leader 15.0", "add consumer 20.0");
        assertThat(FaultSchedule.scenario("add-consumer", 1000, 1).faults()).singleElement()
                .satisfies(f -> assertThat(f.afterMessages()).isEqualTo(300L));
    }

    /** Faults whose windows overlap run at the same time, each on its own clock. */
    @Test
    void overlappingFaultsOverlap() {
        RecordingStack stack = new RecordingStack();
        long start = System.currentTimeMillis();
        Nemesis nemesis = new Nemesis(stack, FaultSchedule.parse("kill-leader@0s:for=1s,kill-controller@0s:for=1s", 100, 1),
                () -> 0, start);
        nemesis.run();
        List<FaultEvent> events = nemesis.events();
        assertThat(events).hasSize(4);
        long lastStrike = events.stream().filter(e -> e.action().equals("kill")).mapToLong(FaultEvent::atMillis).max().orElseThrow();
        long firstHeal = events.stream().filter(e -> e.action().equals(Nemesis.HEAL)).mapToLong(FaultEvent::atMillis).min().orElseThrow();
        assertThat(lastStrike).as("both struck before either healed").isLessThan(firstHeal);
        assertThat(firstHeal - start).isGreaterThanOrEqualTo(900);
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
