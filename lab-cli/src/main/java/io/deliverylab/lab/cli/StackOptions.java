package io.deliverylab.lab.cli;

import io.deliverylab.contract.Topics;
import io.deliverylab.lab.Durations;
import io.deliverylab.lab.stack.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The shape of a local stack, the same options for up, demo, bench and lesson: group size, partitions, session timeout. */
final class StackOptions {

    @Option(names = "--consumers", defaultValue = "2", description = "consumer-service instances in each mode's group "
            + "(default: ${DEFAULT-VALUE}: a killed member's partitions move to the other).")
    int consumers;

    @Option(names = "--partitions", defaultValue = "" + Topics.PARTITIONS,
            description = "Partitions of each mode's topic (default: ${DEFAULT-VALUE}, the contract's).")
    int partitions;

    @Option(names = "--session-timeout", description = "The consumers' session timeout, e.g. 6s (default: the lab's, 3s; "
            + "the services ship 6s). Below 6s the lab's brokers get a lower group.min.session.timeout.ms.")
    Duration sessionTimeout;

    /** Refuses what is out of range, before anything starts. */
    void check() {
        LocalStack.check(consumers, partitions, sessionTimeout);
    }

    /** The stack shaped by these options; what is out of range is refused before anything starts. */
    LocalStack configure(LocalStack stack) {
        return stack.partitions(partitions).sessionTimeout(sessionTimeout);
    }

    /** The same options, for a command line that starts another lab process (up starts the supervisor). */
    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--consumers", Integer.toString(consumers), "--partitions", Integer.toString(partitions)));
        if (sessionTimeout != null) {
            args.addAll(List.of("--session-timeout", Durations.format(sessionTimeout)));
        }
        return args;
    }
}
