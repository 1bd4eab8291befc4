package io.deliverylab.lab.cli;

import io.deliverylab.contract.GroupProtocol;
import io.deliverylab.contract.Topics;
import io.deliverylab.lab.Durations;
import io.deliverylab.lab.stack.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The shape of a local stack, the same options for up, demo, bench and lesson: group size,
 * partitions, session timeout, group protocol, transaction version.
 */
final class StackOptions {

    @Option(names = "--consumers", defaultValue = "2", description = "consumer-service instances in each mode's group "
            + "(default: ${DEFAULT-VALUE}: a killed member's partitions move to the other).")
    int consumers;

    @Option(names = "--partitions", defaultValue = "" + Topics.PARTITIONS,
            description = "Partitions of each mode's topic (default: ${DEFAULT-VALUE}, the contract's).")
    int partitions;

    @Option(names = "--session-timeout", description = "The consumers' session timeout, e.g. 6s (default: the lab's, 3s; "
            + "the services ship 6s). Below 6s the lab's brokers get a lower group.min.session.timeout.ms; under the "
            + "consumer protocol the brokers hand it to every member (group.consumer.session.timeout.ms).")
    Duration sessionTimeout;

    @Option(names = "--group-protocol", split = ",", paramLabel = "PROTOCOL", defaultValue = "classic",
            description = "The consumers' group protocol: classic, or consumer (KIP-848: the brokers assign partitions and "
                    + "own the timeouts). demo takes both, classic,consumer, and runs every scenario under each (default: ${DEFAULT-VALUE}).")
    List<String> groupProtocols;

    @Option(names = "--transaction-version", split = ",", paramLabel = "VERSION",
            description = "The brokers' transaction.version: 1 (the protocol Kafka 3 had) or 2 (KIP-890: a new producer epoch "
                    + "per transaction); default: Kafka's, 2. demo takes both, 1,2, and runs every scenario under each.")
    List<Integer> transactionVersions;

    /** One stack to run: a group protocol and a transaction version, and its name in a comparison's table. */
    record Variant(GroupProtocol protocol, Integer transactionVersion, String label) {
    }

    /** Refuses what is out of range, before anything starts; one protocol unless {@code several} (demo's comparison). */
    void check(boolean several) {
        LocalStack.check(consumers, partitions, sessionTimeout);
        List<GroupProtocol> protocols = protocols();
        if (protocols.stream().distinct().count() < protocols.size()) {
            throw new IllegalArgumentException("--group-protocol names a protocol twice: " + groupProtocols);
        }
        if (protocols.size() > 1 && !several) {
            throw new IllegalArgumentException("--group-protocol takes one protocol here (classic or consumer); "
                    + "./lab demo --group-protocol classic,consumer compares them");
        }
        List<Integer> versions = transactionVersions == null ? List.of() : transactionVersions;
        if (versions.stream().anyMatch(v -> v == null || v < 1 || v > 2)) {
            throw new IllegalArgumentException("--transaction-version must be 1 or 2, was " + transactionVersions);
        }
        if (versions.stream().distinct().count() < versions.size()) {
            throw new IllegalArgumentException("--transaction-version names a version twice: " + transactionVersions);
        }
        if (versions.size() > 1 && !several) {
            throw new IllegalArgumentException("--transaction-version takes one version here (1 or 2); "
                    + "./lab demo --transaction-version 1,2 compares them");
        }
    }

    /**
     * Every combination of the protocols and versions named, each a stack of its own; labelled by what
     * varies ({@code consumer}, {@code tv1}, {@code consumer tv1}), unlabelled when nothing does.
     */
    List<Variant> variants() {
        List<Integer> versions = transactionVersions == null || transactionVersions.isEmpty()
                ? java.util.Collections.singletonList(null) : transactionVersions;
        List<GroupProtocol> protocols = protocols();
        List<Variant> variants = new ArrayList<>();
        for (GroupProtocol protocol : protocols) {
            for (Integer version : versions) {
                List<String> label = new ArrayList<>();
                if (protocols.size() > 1) {
                    label.add(protocol.wireName());
                }
                if (versions.size() > 1) {
                    label.add("tv" + version);
                }
                variants.add(new Variant(protocol, version, String.join(" ", label)));
            }
        }
        return variants;
    }

    void check() {
        check(false);
    }

    /** The protocols named, in order. */
    List<GroupProtocol> protocols() {
        return groupProtocols.stream().map(GroupProtocol::of).toList();
    }

    /** The stack shaped by these options (the first variant named). */
    LocalStack configure(LocalStack stack) {
        return configure(stack, variants().get(0));
    }

    /** The same, as {@code variant} says. */
    LocalStack configure(LocalStack stack, Variant variant) {
        return stack.partitions(partitions).sessionTimeout(sessionTimeout).groupProtocol(variant.protocol())
                .transactionVersion(variant.transactionVersion());
    }

    /** The same options, for a command line that starts another lab process (up starts the supervisor). */
    List<String> arguments() {
        Variant first = variants().get(0);
        List<String> args = new ArrayList<>(List.of("--consumers", Integer.toString(consumers), "--partitions", Integer.toString(partitions),
                "--group-protocol", first.protocol().wireName()));
        if (sessionTimeout != null) {
            args.addAll(List.of("--session-timeout", Durations.format(sessionTimeout)));
        }
        if (first.transactionVersion() != null) {
            args.addAll(List.of("--transaction-version", first.transactionVersion().toString()));
        }
        return args;
    }
}
