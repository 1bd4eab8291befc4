package io.deliverylab.lab.cli;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.Workload;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.run.Experiment;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Shared workload and checking options of {@code run} and {@code demo}. */
class WorkloadOptions {
    @Option(names = "--messages", defaultValue = "3000", description = "Messages per mode (default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--keys", defaultValue = "8", description = "Distinct account keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--rate", defaultValue = "300", description = "Messages per second per mode, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--abort-ratio", defaultValue = "0", paramLabel = "RATIO", description = "Share of each transactional "
            + "mode's transactions the producer aborts on purpose and sends again, 0 to " + RunRequest.MAX_ABORT_RATIO
            + " (default: ${DEFAULT-VALUE}): aborted records stay in the log, where a read_uncommitted consumer applies them "
            + "(without --modes, read-uncommitted runs beside the three guarantees to show it).")
    double abortRatio;

    @Option(names = "--poison", defaultValue = "0", paramLabel = "N", description = "Poison messages in the share-group "
            + "run, 0 to " + RunRequest.MAX_POISON + " (default: ${DEFAULT-VALUE}): transfers the database refuses, which the share "
            + "group delivers again up to its delivery limit and then archives.")
    int poison;

    @Option(names = "--workload", defaultValue = "transfers", paramLabel = "KIND", converter = KindConverter.class,
            description = "What each message does: transfers (credits one account) or bank (moves money between two accounts, "
                    + "so a run's balances always sum to 0; the lab reads that sum every 200 ms while the run goes on) "
                    + "(default: ${DEFAULT-VALUE}).")
    Workload.Kind kind;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for random fault schedules (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--settle-timeout", defaultValue = "45s", description = "How long to wait for the system to settle, e.g. 500ms, 20s, 2m or PT20S (default: ${DEFAULT-VALUE}).")
    Duration settleTimeout;

    @Option(names = "--strict-faults", description = "Exit 2 when a fault found no victim (already down, held by an earlier "
            + "fault, or none, like a leader while the quorum is gone); by default such a collision is recorded as skipped "
            + "and the verdicts decide the exit code.")
    boolean strictFaults;

    @Option(names = {"--modes", "--mode"}, split = ",", paramLabel = "MODE",
            description = "Modes to run: names, or 'guarantees' (the default: the three real modes), 'pitfalls' "
                    + "(the wrong designs, judged against what people believe they give) or 'all'.",
            converter = ModeConverter.class)
    List<String> modes;

    /** The option that sets each field of a run request. */
    private static final java.util.Map<String, String> OPTIONS = java.util.Map.of("keys", "--keys", "abortRatio", "--abort-ratio",
            "poison", "--poison");

    Experiment.Workload workload() {
        if (messages <= 0 || keys <= 0 || rate < 0) {
            throw new IllegalArgumentException("--messages and --keys must be > 0 and --rate >= 0");
        }
        RunRequest.outOfRange(messages, keys, abortRatio, poison, kind).ifPresent(bad -> {
            throw new IllegalArgumentException(OPTIONS.get(bad.field()) + " " + bad.detail());
        });
        if (poison > 0 && modes().stream().noneMatch(DeliveryMode::shareGroup)) {
            throw new IllegalArgumentException("--poison needs the share-group mode (--modes share-group or all): the other modes "
                    + "dead-letter a poison message, a loss their promise does not allow");
        }
        return new Experiment.Workload(messages, keys, rate == 0 ? null : rate, abortRatio, poison, kind);
    }

    /**
     * The modes to run. By default the three guarantees, and with {@code --abort-ratio} read-uncommitted
     * beside them: the transactions aborted on purpose are only seen by a reader that reads them.
     */
    List<DeliveryMode> modes() {
        if (modes == null || modes.isEmpty()) {
            return abortRatio > 0 ? java.util.stream.Stream.concat(DeliveryMode.guarantees().stream(),
                    java.util.stream.Stream.of(DeliveryMode.READ_UNCOMMITTED)).toList() : DeliveryMode.guarantees();
        }
        return modes.stream().flatMap(name -> ModeConverter.expand(name).stream()).distinct().toList();
    }

    /** A scenario name means that fault at 30 % of the run ({@link FaultSchedule#scenario}); anything with an @ is a full spec. */
    FaultSchedule schedule(String scenario) {
        return FaultSchedule.scenario(scenario, messages, seed);
    }

    /** One name of {@code --modes}: a mode, or a group of them; checked while parsing, expanded by {@link #modes()}. */
    static final class ModeConverter implements CommandLine.ITypeConverter<String> {

        static List<DeliveryMode> expand(String value) {
            return switch (value) {
                case "all" -> List.of(DeliveryMode.values());
                case "guarantees" -> DeliveryMode.guarantees();
                case "pitfalls" -> DeliveryMode.pitfalls();
                default -> List.of(DeliveryMode.fromWire(value));
            };
        }

        @Override
        public String convert(String value) {
            try {
                expand(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --workload}: a workload kind by its wire name. */
    static final class KindConverter implements CommandLine.ITypeConverter<Workload.Kind> {
        @Override
        public Workload.Kind convert(String value) {
            try {
                return Workload.Kind.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli mixin wrapper of {@link WorkloadOptions}. */
    static final class Mixin extends WorkloadOptions {
    }
}
