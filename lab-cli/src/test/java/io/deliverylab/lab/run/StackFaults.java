package io.deliverylab.lab.run;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.stack.ItStack;
import io.deliverylab.lab.stack.LocalStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import java.io.PrintStream;
import java.time.Duration;

/** What the lab-stage fault tests share: an experiment on this JVM's stack, every guarantee at 500/s, and what "kept" means. */
final class StackFaults {

    private StackFaults() {
    }

    static Experiment.Outcome run(String faults, long messages) throws InterruptedException {
        LocalStack stack = ItStack.get();
        assertThat(stack.consumers()).as("a group of two consumers per mode").hasSize(2);
        return experiment(stack).run(DeliveryMode.guarantees(), new Experiment.Workload(messages, 8, 500),
                FaultSchedule.parse(faults, messages, 1), faults);
    }

    /** An experiment on {@code stack} that prints to the test's output and waits up to 90 s for a run to settle. */
    static Experiment experiment(LocalStack stack) {
        return new Experiment(stack, new PrintStream(System.out), Duration.ofSeconds(90));
    }

    /** Every fault struck or was skipped for a reason, every mode settled and kept its promise. */
    static void assertKept(Experiment.Outcome outcome) {
        assertThat(outcome.events()).noneMatch(e -> e.action().equals(Nemesis.FAILED));
        for (Verdict v : outcome.verdicts()) {
            assertThat(v.losses().unseen()).as(v.mode() + " settled").isFalse();
            assertThat(v.promiseKept()).as(v.mode() + ": " + v.explanation()).isTrue();
        }
    }

    static Verdict verdict(Experiment.Outcome outcome, DeliveryMode mode) {
        return outcome.verdicts().stream().filter(v -> v.mode() == mode).findFirst().orElseThrow();
    }
}
